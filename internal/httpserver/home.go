package httpserver

import (
	"context"
	"net/http"
	"strconv"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/web"
)

// home shows the signed-in person the page of their primary role.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v, _ := viewerFrom(r.Context())
	h := homeFor(v, s.outboxExists(v))
	if err := s.unacknowledgedWarning(r.Context(), v, &h); err != nil {
		s.serverError(w, r, err)
		return
	}
	if sec, ok, err := s.policyReviewsSection(r.Context(), v); err != nil {
		s.serverError(w, r, err)
		return
	} else if ok {
		h.Sections = append(h.Sections, sec)
	}
	training, ok, err := s.trainingSection(r.Context(), v)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if ok {
		h.Sections = append(h.Sections, training)
	}
	if transfers, ok, err := s.transfersSection(r.Context(), v); err != nil {
		s.serverError(w, r, err)
		return
	} else if ok {
		h.Sections = append(h.Sections, transfers)
	}
	if sec, ok, err := s.retentionSection(r.Context(), v); err != nil {
		s.serverError(w, r, err)
		return
	} else if ok {
		h.Sections = append(h.Sections, sec)
	}
	h.Sections = append(h.Sections, twoFactorSection(v))
	s.render(w, r, http.StatusOK, web.HomePage(page(r, "Home"), h))
}

// twoFactorSection leads everyone to their two-factor sign-in: to set it
// up (optional for staff and governors), or to see it.
func twoFactorSection(v safeguarding.Viewer) web.HomeSection {
	if v.SecondFactor {
		return web.HomeSection{Title: "Two-factor sign-in", Body: "Your sign-in needs a code from your phone as well as your password.",
			Href: web.TwoFactorPath, LinkText: "See your two-factor sign-in"}
	}
	return web.HomeSection{Title: "Two-factor sign-in", Body: "Ask for a code from your phone as well as your password, so that nobody who learns your password can sign in as you.",
		Href: web.TwoFactorPath, LinkText: "Set up two-factor sign-in"}
}

// benchFloor is the load benchmark's floor route (docs/benchmarks.md): the
// home page, behind the same middleware and session
// as every page, after one trivial query. Each page's throughput is measured
// as a ratio to it. It is served only when Config.BenchFloor is set.
func (s *Server) benchFloor(w http.ResponseWriter, r *http.Request) {
	if err := s.db.Ping(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.home(w, r)
}

// homeFor is each role's landing page: what that person comes to Haven to do.
// outbox is whether v has an Outbox page (Server.outboxExists).
func homeFor(v safeguarding.Viewer, outbox bool) web.Home {
	// The numbers a person logging a concern about a child in danger is
	// given (safeguarding.MayEditSchoolContacts says who sets them).
	contacts := web.HomeSection{Title: "Emergency contacts",
		Body: "The DSL's phone and children's social care numbers shown when a child is in immediate danger.",
		Href: web.SettingsContactsPath, LinkText: "Set the emergency contacts"}
	escalation := web.HomeSection{Title: "Escalation",
		Body: "When a concern nobody has acknowledged goes to the next person up, and who the vice-chair of governors is.",
		Href: web.SettingsEscalationPath, LinkText: "Set the escalation times"}
	// The days deadlines skip, kept by whoever keeps the contacts.
	closures := web.HomeSection{Title: "Closure days",
		Body: "The holidays between terms and INSET days, which deadlines do not count as working days.",
		Href: web.ClosuresPath, LinkText: "Set the closure days"}
	logConcern := web.HomeSection{Title: "Log a concern",
		Body: "Record a worry about a child or an adult. If a child is in immediate danger, call the police on 999 first.",
		Href: "/concerns/new", LinkText: "Log a concern"}
	oversight := web.HomeSection{Title: "Governors' oversight report",
		Body: "The annual safeguarding report: aggregate figures for the academic year, with the year before beside them; no child or adult is named.",
		Href: web.AnnualReportPath, LinkText: "Open the annual report"}
	// The training register, for those who act on who is due
	// (safeguarding.MaySeeTrainingRegister).
	training := web.HomeSection{Title: "Safeguarding training", Body: "Who is overdue or due soon for safeguarding training.",
		Href: web.TrainingPath, LinkText: "Open the training register"}
	switch v.Roles.Primary() {
	case safeguarding.RoleDSL, safeguarding.RoleDeputyDSL:
		return web.Home{Heading: "Safeguarding", Lead: "Concerns that need you, and the children you are following.", Sections: []web.HomeSection{
			{Title: "Concerns queue", Body: "New and open concerns, urgent first.", Href: "/queue", LinkText: "Open the concerns queue"},
			{Title: "Due", Body: "Responses to referrals and feedback to staff, overdue first.", Href: web.DuePath, LinkText: "See what is due"},
			logConcern,
			contacts,
			escalation,
			// The thresholds of the pattern rules (safeguarding.MayManagePatterns).
			{Title: "Pattern rules", Body: "When Haven flags a child for your review because of what several concerns show together.",
				Href: web.PatternSettingsPath, LinkText: "Set the pattern rules"},
			closures,
			oversight,
			training,
		}}
	case safeguarding.RolePrincipal:
		return web.Home{Heading: "Principal", Lead: "Allegations about staff that you case-manage, and safeguarding oversight.", Sections: []web.HomeSection{
			{Title: "Concerns", Body: "Allegations about adults in the school, which you case-manage, and a read-only view of concerns about pupils.",
				Href: "/queue", LinkText: "Open the concerns"},
			oversight,
			training,
			logConcern,
		}}
	case safeguarding.RoleChair:
		return web.Home{Heading: "Chair of governors", Lead: "Allegations about the principal, and safeguarding oversight.", Sections: []web.HomeSection{
			{Title: "Allegations about the principal", Body: "Concerns for you as case manager.", Href: "/queue", LinkText: "Open the allegations"},
			oversight,
		}}
	case safeguarding.RoleGovernor:
		return web.Home{Heading: "Governor", Lead: "Safeguarding oversight for the governing body.", Sections: []web.HomeSection{
			oversight,
		}}
	case safeguarding.RoleAdmin:
		h := web.Home{Heading: "Administration", Lead: "Accounts, roles and the school roster.", Sections: []web.HomeSection{
			{Title: "People", Body: "Invite staff and governors, set their roles, deactivate leavers.",
				Href: web.PeoplePath, LinkText: "Manage people"},
			{Title: "Pupil and staff roster", Body: "Import pupils and staff from a CSV file exported from your MIS (SIMS, Arbor or Bromcom).",
				Href: web.SettingsImportPath, LinkText: "Import pupils or staff"},
			{Title: "Sign-in audit log", Body: "Every sign-in, failed sign-in and sign-out, and every change to an account.",
				Href: web.AuditPath, LinkText: "Open the audit log"},
			contacts,
			escalation,
			closures,
		}}
		if outbox {
			h.Sections = append(h.Sections, web.HomeSection{Title: "Outbox",
				Body: "No mail server is set up, so Haven sends no e-mail: read here each e-mail it would have sent.",
				Href: web.OutboxPath, LinkText: "Open the outbox"})
		}
		return h
	}
	return web.Home{Heading: "Safeguarding", Lead: "If you are worried about a child, tell the Designated Safeguarding Lead and record it here.", Sections: []web.HomeSection{
		logConcern,
		{Title: "My concerns", Body: "The concerns you have logged, their status and whether feedback has been given.",
			Href: "/my-concerns", LinkText: "See the concerns you have logged"},
	}}
}

// unacknowledgedWarning warns those concerns are routed to of the ones
// nobody has acknowledged by their escalation time.
func (s *Server) unacknowledgedWarning(ctx context.Context, v safeguarding.Viewer, h *web.Home) error {
	n, err := s.db.UnacknowledgedInTime(ctx, v)
	if err != nil || n == 0 {
		return err
	}
	h.Warning, h.WarningHref = "1 concern sent to you has not been acknowledged in time and has been escalated.", "/queue"
	if n > 1 {
		h.Warning = strconv.Itoa(n) + " concerns sent to you have not been acknowledged in time and have been escalated."
	}
	return nil
}
