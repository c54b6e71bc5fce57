package httpserver

// Transfer of a child's file between schools (docs/transfer.md): the
// leavers whose files are due, a pupil's transfer page, the school's keys,
// importing a bundle and the received file, for the DSL and deputies
// (safeguarding.MayTransferFiles); to anyone else these pages do not exist.

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
	"github.com/havenapp/haven/web"
)

// transferStore is what the transfer pages need of the store.
type transferStore interface {
	TransferKeys(ctx context.Context, v safeguarding.Viewer) (transfer.Keys, string, error)
	TransfersToDo(ctx context.Context, v safeguarding.Viewer) ([]safeguarding.TransferToDo, error)
	PupilTransfers(ctx context.Context, v safeguarding.Viewer, pupilID int64) (safeguarding.PupilTransfers, error)
	MarkLeft(ctx context.Context, v safeguarding.Viewer, pupilID int64, day time.Time) error
	RecordTransferNotNeeded(ctx context.Context, v safeguarding.Viewer, pupilID int64, reason string) error
	ExportTransferBundle(ctx context.Context, v safeguarding.Viewer, pupilID int64, req postgres.TransferRequest) (int64, error)
	SentBundle(ctx context.Context, v safeguarding.Viewer, pupilID, id int64) ([]byte, error)
	TrustedSenders(ctx context.Context, v safeguarding.Viewer) ([]postgres.TrustedSender, error)
	ImportTransferBundle(ctx context.Context, v safeguarding.Viewer, data []byte, sender ed25519.PublicKey) (int64, error)
	ReceivedFile(ctx context.Context, v safeguarding.Viewer, id int64) (safeguarding.ReceivedFile, error)
	ConfirmReceipt(ctx context.Context, v safeguarding.Viewer, id int64) (string, error)
	RecordReceipt(ctx context.Context, v safeguarding.Viewer, pupilID int64, text string) error
}

// transferrer is the signed-in person if they may transfer files; to
// anyone else the page does not exist.
func transferrer(w http.ResponseWriter, r *http.Request) (safeguarding.Viewer, bool) {
	v, ok := viewerFrom(r.Context())
	if !ok || !safeguarding.MayTransferFiles(v.Roles) {
		renderError(w, r, http.StatusNotFound)
		return v, false
	}
	return v, true
}

// transfersPage lists the leavers whose files are due.
func (s *Server) transfersPage(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	todo, err := s.db.TransfersToDo(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := web.TransfersView{}
	for _, t := range todo {
		view.ToDo = append(view.ToDo, web.TransferToDoRow{Name: t.Pupil.Name(), Href: pupilTransferHref(t.Pupil.ID),
			LeftOn: longDate(t.LeftOn), Due: longDate(t.Due), Overdue: safeguarding.Overdue(t.Due, time.Now())})
	}
	s.render(w, r, http.StatusOK, web.TransfersPage(page(r, "File transfers"), view))
}

// transfersSection is the DSL's and deputies' home page section: the
// files due, soonest first, until each is sent or recorded as not needed.
func (s *Server) transfersSection(ctx context.Context, v safeguarding.Viewer) (web.HomeSection, bool, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return web.HomeSection{}, false, nil
	}
	todo, err := s.db.TransfersToDo(ctx, v)
	if err != nil {
		return web.HomeSection{}, false, err
	}
	sec := web.HomeSection{Title: "File transfers", ID: "file-transfers", Href: web.TransfersPath, LinkText: "Open file transfers",
		Body: "No leaver's child-protection file is waiting to be transferred."}
	if len(todo) > 0 {
		sec.Body = "Leavers whose child-protection files must reach their new school within 5 school days:"
		for _, t := range todo {
			item := t.Pupil.Name() + ": due by " + longDate(t.Due)
			if safeguarding.Overdue(t.Due, time.Now()) {
				item += " (overdue)"
			}
			sec.Items = append(sec.Items, item)
		}
	}
	return sec, true, nil
}

func pupilTransferHref(id int64) string { return pupilHref(id) + "/transfer" }

// childTransfer is the transfer section of the child's page for a viewer
// who transfers files, and nothing for anyone else.
func (s *Server) childTransfer(ctx context.Context, v safeguarding.Viewer, pupilID int64) (web.ChildTransfer, error) {
	if !safeguarding.MayTransferFiles(v.Roles) {
		return web.ChildTransfer{}, nil
	}
	p, err := s.db.PupilTransfers(ctx, v, pupilID)
	if err != nil {
		return web.ChildTransfer{}, err
	}
	out := web.ChildTransfer{Href: pupilTransferHref(pupilID), Received: receivedLinks(p.Received)}
	switch {
	case p.LeftOn.IsZero():
		out.Status = "On the roll. When they leave, their file goes to their new school."
	case !p.HasFile:
		out.Status = "Left; there is no child-protection file to transfer."
	case !p.Done():
		out.Status = "Left on " + longDate(p.LeftOn) + ": their file must be transferred by " + longDate(p.Due) + "."
	default:
		out.Status = "Left on " + longDate(p.LeftOn) + ": " + lastOutcome(p.Sent) + "."
	}
	return out, nil
}

func receivedLinks(files []safeguarding.ReceivedFile) []web.ReceivedFileLink {
	var out []web.ReceivedFileLink
	for _, f := range files {
		out = append(out, web.ReceivedFileLink{Text: "Transferred from " + f.FromSchool + ", received " + longDate(f.ReceivedAt),
			Href: receivedHref(f.ID)})
	}
	return out
}

func receivedHref(id int64) string { return "/transfers/received/" + strconv.FormatInt(id, 10) }

// lastOutcome words what became of the file last.
func lastOutcome(sent []safeguarding.SentFile) string {
	last := sent[len(sent)-1]
	switch {
	case last.Outcome == safeguarding.TransferNotNeeded:
		return "transfer recorded as not needed"
	case last.ReceiptConfirmedAt != nil:
		return "file sent to " + last.ToSchool + ", receipt confirmed"
	default:
		return "file sent to " + last.ToSchool + ", awaiting receipt"
	}
}

// pupilTransferPage shows a pupil's transfer page.
func (s *Server) pupilTransferPage(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	view := web.PupilTransferView{}
	switch r.URL.Query().Get("done") {
	case "left":
		view.Notice = "The pupil has been marked as left."
	case "sent":
		view.Notice = "The bundle has been made and recorded as sent. Download it and send it to the new school's DSL."
	case "not-needed":
		view.Notice = "The transfer has been recorded as not needed."
	case "receipt":
		view.Notice = "The new school's receipt has been recorded."
	}
	s.renderPupilTransfer(w, r, v, http.StatusOK, view)
}

// renderPupilTransfer renders the transfer page of the pupil in the path
// with what the store holds, over view's forms and messages.
func (s *Server) renderPupilTransfer(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, view web.PupilTransferView) {
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	p, err := s.db.PupilTransfers(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view.Name, view.Reference, view.Action = p.Pupil.Name(), strconv.FormatInt(id, 10), pupilHref(id)
	view.OnRoll, view.HasFile, view.Done = p.LeftOn.IsZero(), p.HasFile, p.Done()
	view.PDFHref = pupilHref(id) + "/file.pdf"
	if !p.LeftOn.IsZero() {
		view.LeftOn, view.Due = longDate(p.LeftOn), longDate(p.Due)
		view.Overdue = !p.Done() && safeguarding.Overdue(p.Due, time.Now())
	}
	for _, sf := range p.Sent {
		row := web.SentFileRow{When: longDateTime(sf.RecordedAt), By: sf.RecordedByName}
		if sf.Outcome == safeguarding.TransferNotNeeded {
			row.What, row.Reason = "Recorded as not needed", sf.Reason
		} else {
			row.What = "Bundle for " + sf.ToSchool
			row.DownloadHref = pupilHref(id) + "/transfer/bundles/" + strconv.FormatInt(sf.ID, 10)
			row.ReceiptStatus, row.ReceiptDone = "Awaiting the new school's receipt", sf.ReceiptConfirmedAt != nil
			if row.ReceiptDone {
				row.ReceiptStatus = "Receipt confirmed by " + sf.ReceiptSchool + " on " + longDateTime(*sf.ReceiptConfirmedAt)
			}
		}
		view.Sent = append(view.Sent, row)
	}
	view.Received = receivedLinks(p.Received)
	s.render(w, r, status, web.PupilTransferPage(page(r, "Transfer child's file "+view.Reference), view))
}

// markLeft marks the pupil as left on the day given.
func (s *Server) markLeft(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	view := web.PupilTransferView{LeftDay: vals.Get("left-on-day"), LeftMonth: vals.Get("left-on-month"), LeftYear: vals.Get("left-on-year")}
	day, _ := ParseDate(view.LeftDay, view.LeftMonth, view.LeftYear)
	var form Form
	if p := safeguarding.LeftOnProblems(day, todayInEngland()); len(p) > 0 {
		form.Check(false, "left-on", p["left-on"])
	} else {
		err := s.db.MarkLeft(r.Context(), v, pathID(chi.URLParam(r, "id")), day)
		if err == nil {
			http.Redirect(w, r, pupilTransferHref(pathID(chi.URLParam(r, "id")))+"?done=left", http.StatusSeeOther)
			return
		}
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			s.fail(w, r, err)
			return
		}
		form.Check(false, "left-on", safeguarding.ErrorMessage(err))
	}
	view.Errors = form.Errors
	s.renderPupilTransfer(w, r, v, http.StatusUnprocessableEntity, view)
}

// recordNotNeeded records, with the reason, that the file need not go.
func (s *Server) recordNotNeeded(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	view := web.PupilTransferView{Reason: vals.Get("reason")}
	id := pathID(chi.URLParam(r, "id"))
	err := s.db.RecordTransferNotNeeded(r.Context(), v, id, view.Reason)
	if err == nil {
		http.Redirect(w, r, pupilTransferHref(id)+"?done=not-needed", http.StatusSeeOther)
		return
	}
	if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		s.fail(w, r, err)
		return
	}
	view.Errors = web.Errors{{Field: "reason", Message: safeguarding.ErrorMessage(err)}}
	s.renderPupilTransfer(w, r, v, http.StatusUnprocessableEntity, view)
}

// exportBundle checks the new school and key, shows the key's fingerprint
// to compare, and once the DSL confirms it matches, makes the bundle.
func (s *Server) exportBundle(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	view := web.PupilTransferView{ToSchool: strings.TrimSpace(vals.Get("to-school")), Recipient: strings.TrimSpace(vals.Get("recipient"))}
	var form Form
	form.Check(NotBlank(view.ToSchool), "to-school", "Enter the name of the new school")
	form.Check(MaxChars(view.ToSchool, 200), "to-school", "The school's name must be 200 characters or fewer")
	recipient, err := transfer.ParseRecipient(view.Recipient)
	form.Check(err == nil, "recipient", errText(err))
	if !form.Valid() {
		view.Errors = form.Errors
		s.renderPupilTransfer(w, r, v, http.StatusUnprocessableEntity, view)
		return
	}
	if vals.Get("confirmed") != "yes" {
		view.RecipientPrint = transfer.Fingerprint(recipient)
		s.renderPupilTransfer(w, r, v, http.StatusOK, view)
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	if _, err := s.db.ExportTransferBundle(r.Context(), v, id, postgres.TransferRequest{ToSchool: view.ToSchool, Recipient: recipient}); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, pupilTransferHref(id)+"?done=sent", http.StatusSeeOther)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// downloadBundle serves a bundle the school sent, as a file.
func (s *Server) downloadBundle(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	pupil, id := pathID(chi.URLParam(r, "id")), pathID(chi.URLParam(r, "bundle"))
	data, err := s.db.SentBundle(r.Context(), v, pupil, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="haven-transfer-`+strconv.FormatInt(id, 10)+`.age"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

// recordReceipt records the receipt a new school outside this Haven gave.
func (s *Server) recordReceipt(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	vals, ok := postedValues(w, r)
	if !ok {
		return
	}
	view := web.PupilTransferView{Receipt: vals.Get("receipt")}
	id := pathID(chi.URLParam(r, "id"))
	err := s.db.RecordReceipt(r.Context(), v, id, view.Receipt)
	if err == nil {
		http.Redirect(w, r, pupilTransferHref(id)+"?done=receipt", http.StatusSeeOther)
		return
	}
	if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		s.fail(w, r, err)
		return
	}
	view.Errors = web.Errors{{Field: "receipt", Message: safeguarding.ErrorMessage(err)}}
	s.renderPupilTransfer(w, r, v, http.StatusUnprocessableEntity, view)
}

// transferKeysPage shows the school's public keys and fingerprints.
func (s *Server) transferKeysPage(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	keys, school, err := s.db.TransferKeys(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	signing := transfer.SigningKeyText(keys.SigningPublic)
	s.render(w, r, http.StatusOK, web.TransferKeysPage(page(r, "Transfer keys"), web.TransferKeysView{School: school,
		SigningKey: signing, SigningPrint: transfer.Fingerprint(signing),
		Recipient: keys.AgeRecipient, RecipientPrint: transfer.Fingerprint(keys.AgeRecipient)}))
}

// importTransferForm shows the upload form.
func (s *Server) importTransferForm(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	s.renderImportTransfer(w, r, v, http.StatusOK, web.ImportTransferForm{})
}

func (s *Server) renderImportTransfer(w http.ResponseWriter, r *http.Request, v safeguarding.Viewer, status int, f web.ImportTransferForm) {
	senders, err := s.db.TrustedSenders(r.Context(), v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, sd := range senders {
		key := transfer.SigningKeyText(sd.Key)
		f.Senders = append(f.Senders, web.Choice{Value: senderValue(sd.Key), Label: sd.School,
			Hint: "Signing key fingerprint " + transfer.Fingerprint(key), Checked: f.Sender == senderValue(sd.Key)})
	}
	if len(f.Senders) > 0 {
		f.Senders = append(f.Senders, web.Choice{Value: "other", Label: "Another school: enter its signing key below", Checked: f.Sender == "other"})
	}
	s.render(w, r, status, web.ImportTransferPage(page(r, "Import a transferred file"), f))
}

// senderValue is a trusted sender's radio value: its key.
func senderValue(key ed25519.PublicKey) string { return base64.RawURLEncoding.EncodeToString(key) }

// importTransfer opens the uploaded bundle and keeps it, or shows the form
// again with the reason it was refused by the field it concerns.
func (s *Server) importTransfer(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	f := web.ImportTransferForm{}
	var form Form
	data, problem := uploadedBundle(r)
	form.Check(problem == "", "file", problem)
	f.Sender = cleanText(r.PostFormValue("sender"))
	f.SenderKey = cleanText(r.PostFormValue("sender-key"))
	var sender ed25519.PublicKey
	if b, err := base64.RawURLEncoding.DecodeString(f.Sender); f.Sender != "" && f.Sender != "other" && err == nil && len(b) == ed25519.PublicKeySize {
		sender = b
	} else if sender, err = transfer.ParseSigningKey(f.SenderKey); err != nil {
		form.Check(false, "sender-key", err.Error())
	}
	if form.Valid() {
		id, err := s.db.ImportTransferBundle(r.Context(), v, data, sender)
		if err == nil {
			http.Redirect(w, r, receivedHref(id)+"?done=imported", http.StatusSeeOther)
			return
		}
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			s.fail(w, r, err)
			return
		}
		field := "file"
		if safeguarding.ErrorMessage(err) == transfer.ErrWrongSigner.Error() {
			field = "sender-key"
		}
		form.Check(false, field, safeguarding.ErrorMessage(err))
	}
	f.Errors = form.Errors
	s.renderImportTransfer(w, r, v, http.StatusUnprocessableEntity, f)
}

// maxBundleBytes bounds an uploaded bundle: years of a file's text are far
// less.
const maxBundleBytes = 4 << 20

// uploadedBundle reads the posted bundle, or says what is wrong with the
// upload: there is none, or it is too big.
func uploadedBundle(r *http.Request) (data []byte, problem string) {
	const tooBigText, missing = "The file must be smaller than 4 MB", "Select the bundle to upload"
	err := r.ParseMultipartForm(1 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, tooBigText
	}
	if err != nil {
		return nil, missing
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return nil, missing
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, maxBundleBytes+1))
	switch {
	case errors.As(err, &tooBig) || len(data) > maxBundleBytes:
		return nil, tooBigText
	case err != nil:
		return nil, missing
	case len(data) == 0:
		return nil, "The selected file is empty"
	}
	return data, ""
}

// receivedFilePage shows a received file, read only.
func (s *Server) receivedFilePage(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	if id == 0 {
		renderError(w, r, http.StatusNotFound)
		return
	}
	f, err := s.db.ReceivedFile(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	view := receivedFileView(f)
	switch r.URL.Query().Get("done") {
	case "imported":
		view.Notice = "The file has been imported. Confirm its receipt below."
	case "confirmed":
		view.Notice = "Receipt confirmed."
	}
	s.render(w, r, http.StatusOK, web.ReceivedFilePage(page(r, "Transferred from "+f.FromSchool), view))
}

// confirmReceipt confirms that a received file arrived.
func (s *Server) confirmReceipt(w http.ResponseWriter, r *http.Request) {
	v, ok := transferrer(w, r)
	if !ok {
		return
	}
	id := pathID(chi.URLParam(r, "id"))
	if _, err := s.db.ConfirmReceipt(r.Context(), v, id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, receivedHref(id)+"?done=confirmed", http.StatusSeeOther)
}

// receivedFileView is a received file as its page shows it: the bundle's
// words as they were sent.
func receivedFileView(f safeguarding.ReceivedFile) web.ReceivedFileView {
	b := f.Bundle
	out := web.ReceivedFileView{Name: b.Pupil.FirstName + " " + b.Pupil.LastName, PupilHref: pupilHref(f.PupilID), FromSchool: f.FromSchool,
		SenderPrint: transfer.Fingerprint(transfer.SigningKeyText(f.SenderKey)), ReceivedAt: longDateTime(f.ReceivedAt),
		ReceivedBy: f.ReceivedByName, Confirmed: f.ConfirmedAt != nil, Receipt: f.Receipt, SignedKept: f.SignedKept,
		ConfirmAction: receivedHref(f.ID) + "/confirm"}
	add := func(rows []web.SummaryRow, key, value string) []web.SummaryRow {
		if strings.TrimSpace(value) == "" {
			return rows
		}
		return append(rows, web.SummaryRow{Key: key, Value: value})
	}
	out.Pupil = add(out.Pupil, "Legal name", b.Pupil.LegalName)
	out.Pupil = add(out.Pupil, "Date of birth", isoDate(b.Pupil.DateOfBirth))
	out.Pupil = add(out.Pupil, "UPN", b.Pupil.UPN)
	out.Pupil = add(out.Pupil, "Left "+f.FromSchool, isoDate(b.Pupil.LeftOn))
	for _, r := range b.Referrals {
		out.Referrals = append(out.Referrals, web.SummaryRow{Key: r.Agency, Value: "Referred " + isoDate(r.ReferredOn) + refText(r.Reference)})
	}
	for _, c := range b.Concerns {
		rc := web.ReceivedConcern{Title: "Concern logged " + longDateTime(c.LoggedAt) + " by " + c.LoggedBy}
		var facts []web.SummaryRow
		facts = add(facts, "Kind", strings.Join(c.Categories, ", "))
		facts = add(facts, "Status when sent", c.Status)
		facts = add(facts, "Happened", isoDate(c.HappenedOn)+" "+c.HappenedTime)
		facts = add(facts, "Where", c.Location)
		facts = add(facts, "What happened", c.WhatHappened)
		facts = add(facts, "Their part", c.Part)
		facts = add(facts, "Signs of exploitation seen in them", strings.Join(c.Indicators, "; "))
		facts = add(facts, "Their own words", c.ChildsWords)
		if c.OtherPupils > 0 {
			facts = add(facts, "Also about", strings.TrimSuffix(strings.Repeat("another pupil, ", c.OtherPupils), ", "))
		}
		facts = add(facts, "Who else was told", c.OthersTold)
		facts = add(facts, "Actions taken", c.ActionsTaken)
		if c.Urgent {
			facts = add(facts, "Immediate danger", "Yes: marked urgent")
		}
		rc.Facts = facts
		for _, e := range c.Entries {
			re := web.ReceivedEntry{Heading: e.Label, When: longDateTime(e.At), Author: e.Author, Paragraphs: paragraphs(e.Body)}
			if e.HappenedAt != nil {
				re.When = "Happened " + longDateTime(*e.HappenedAt) + ", written " + re.When
			}
			for _, d := range e.Details {
				re.Facts = append(re.Facts, web.SummaryRow{Key: d.Label, Value: d.Value})
			}
			rc.Entries = append(rc.Entries, re)
		}
		out.Concerns = append(out.Concerns, rc)
	}
	return out
}

func refText(ref string) string {
	if ref == "" {
		return ""
	}
	return ", reference " + ref
}
