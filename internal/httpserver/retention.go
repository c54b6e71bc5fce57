package httpserver

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// retentionStore reads the files due for review and records agreements to
// destroy one.
type retentionStore interface {
	Retention(ctx context.Context, v safeguarding.Viewer) (safeguarding.Retention, error)
	RetentionDueCount(ctx context.Context, v safeguarding.Viewer) (int, error)
	AgreeToDestroy(ctx context.Context, v safeguarding.Viewer, pupilID int64, reason string) (int64, error)
}

const retentionBannerKey = "retention-banner"

// retentionPage shows the files due for review to those who may review
// them (safeguarding.MayReviewRetention); to anyone else it does not exist.
func (s *Server) retentionPage(w http.ResponseWriter, r *http.Request) {
	s.showRetention(w, r, http.StatusOK, s.sessions.PopString(r.Context(), retentionBannerKey), 0, "", "")
}

// showRetention renders the retention page; refused, when not 0, is the
// pupil whose form was refused, with what was typed and why.
func (s *Server) showRetention(w http.ResponseWriter, r *http.Request, status int, banner string, refused int64, typed, problem string) {
	v, _ := viewerFrom(r.Context())
	if !safeguarding.MayReviewRetention(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	ret, err := s.db.Retention(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := retentionView(ret, v.PersonID)
	view.Banner = banner
	for i := range view.Due {
		if f := &view.Due[i]; f.Action == retentionAction(refused) {
			f.Reason, f.Error = typed, problem
			view.Errors = append(view.Errors, web.FieldError{Field: f.ReasonField, Message: problem})
		}
	}
	s.render(w, r, status, web.RetentionReviewPage(page(r, "Files due for review"), view))
}

func retentionAction(pupilID int64) string {
	return web.RetentionPath + "/" + strconv.FormatInt(pupilID, 10) + "/destroy"
}

// retentionView is the retention page for the viewer me.
func retentionView(ret safeguarding.Retention, me int64) web.RetentionPage {
	var out web.RetentionPage
	for _, d := range ret.Due {
		id := strconv.FormatInt(d.Pupil.ID, 10)
		f := web.RetentionFile{Name: d.Pupil.Name(), Href: pupilHref(d.Pupil.ID), Action: retentionAction(d.Pupil.ID),
			ReasonField: "reason-" + id, Step: "propose",
			Details: []web.SummaryRow{{Key: "Date of birth", Value: longDate(d.DateOfBirth)},
				{Key: "Kept until", Value: longDate(d.RetainUntil)}, {Key: "Listed for review", Value: longDate(d.ListedOn)}}}
		for _, a := range d.Agreements {
			f.Agreements = append(f.Agreements, web.SummaryRow{Key: a.PersonName, Value: longDateTime(a.At) + ": " + a.Reason})
			if a.PersonID == me {
				f.Step = "wait"
			} else if f.Step == "propose" {
				f.Step = "confirm"
			}
		}
		out.Due = append(out.Due, f)
	}
	for _, d := range ret.Destroyed {
		out.Destroyed = append(out.Destroyed, "File "+strconv.FormatInt(d.ID, 10)+" destroyed on "+longDateTime(d.DestroyedAt)+
			": proposed by "+d.ProposedBy+", confirmed by "+d.ConfirmedBy)
	}
	return out
}

// agreeToDestroy records the viewer's agreement to destroy a file with
// their reason; the second of the two people destroys it. A missing reason
// re-shows the page with the message beside the field.
func (s *Server) agreeToDestroy(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 || !safeguarding.MayReviewRetention(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return
	}
	reason := r.PostFormValue("reason-" + strconv.FormatInt(id, 10))
	if strings.TrimSpace(reason) == "" {
		s.showRetention(w, r, http.StatusUnprocessableEntity, "", id, reason, "Give the reason the file should be destroyed")
		return
	}
	destroyed, err := s.db.AgreeToDestroy(r.Context(), v, id, reason)
	switch {
	case safeguarding.ErrorCode(err) == safeguarding.EINVALID:
		s.showRetention(w, r, http.StatusUnprocessableEntity, "", id, reason, safeguarding.ErrorMessage(err))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	banner := "You proposed destroying the file. It is destroyed when the other person confirms."
	if destroyed != 0 {
		banner = "The file was destroyed. File " + strconv.FormatInt(destroyed, 10) + " is recorded as destroyed."
	}
	s.sessions.Put(r.Context(), retentionBannerKey, banner)
	http.Redirect(w, r, web.RetentionPath, http.StatusSeeOther)
}

// retentionSection is the home page's count of files due for review, for
// those who review them, linking to the retention page.
func (s *Server) retentionSection(ctx context.Context, v safeguarding.Viewer) (web.HomeSection, bool, error) {
	if !safeguarding.MayReviewRetention(v.Roles) {
		return web.HomeSection{}, false, nil
	}
	n, err := s.db.RetentionDueCount(ctx, v)
	if err != nil {
		return web.HomeSection{}, false, err
	}
	body := strconv.Itoa(n) + " child protection files have passed their retention date and need review."
	switch n {
	case 0:
		body = "No child protection file has passed its retention date (the child's date of birth plus 25 years)."
	case 1:
		body = "1 child protection file has passed its retention date and needs review."
	}
	return web.HomeSection{Title: "Files due for review", ID: "retention", Body: body, Href: web.RetentionPath,
		LinkText: "Review the files"}, true, nil
}
