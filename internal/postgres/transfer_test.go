package postgres_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
)

// transferClock is 1 April 2026, the Wednesday before Easter.
var transferClock = func() time.Time { return time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC) }

// leaver sets up, in s, Ruby with a child-protection file about her and
// Tom (each with their own part and words, a decision about both, a
// conversation with Tom alone), gives her a UPN and marks her left on
// Tuesday 31 March 2026.
func leaver(t *testing.T, s *smallSchool, db *postgres.DB) {
	t.Helper()
	concern := logConcern(t, db, s.dsl, safeguarding.ConcernInput{PupilIDs: []int64{s.ruby, s.tom}, Categories: []string{"cse"},
		WhatHappened: "Both were seen getting into a car after school.",
		Parts: []safeguarding.PupilPart{
			{PupilID: s.ruby, Part: safeguarding.PartHarmed, ChildsWords: "RUBY'S OWN WORDS"},
			{PupilID: s.tom, Part: safeguarding.PartWitness, ChildsWords: "TOM'S OWN WORDS"},
		}})
	addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: "Refer to children's social care",
		Details: safeguarding.EntryDetails{Reason: "Several CSE indicators"}})
	addEntry(t, db, s.dsl, concern, safeguarding.EntryInput{Kind: safeguarding.EntryConversationChild, Body: "TOM'S CONVERSATION",
		PupilIDs: []int64{s.tom}})
	if _, err := s.owner.Exec(t.Context(), `UPDATE pupils SET upn = 'A123456789012' WHERE id = $1`, s.ruby); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkLeft(t.Context(), s.dsl, s.ruby, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
}

// secondSchool adds a school with a DSL and a member of staff to the
// database of s.
func secondSchool(t *testing.T, s *testDB, name string) (school int64, dsl, staff safeguarding.Viewer) {
	t.Helper()
	school, err := s.db.CreateSchool(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	slug := strings.ToLower(strings.Fields(name)[0])
	dsl = s.person(t, postgres.PersonInput{SchoolID: school, Email: "dsl@" + slug + ".test", FullName: "Second Lead",
		Roles: []safeguarding.Role{safeguarding.RoleDSL, safeguarding.RoleStaff}})
	staff = s.person(t, postgres.PersonInput{SchoolID: school, Email: "staff@" + slug + ".test", FullName: "Second Staff",
		Roles: []safeguarding.Role{safeguarding.RoleStaff}})
	return school, dsl, staff
}

// export makes Ruby's bundle for recipient and downloads it, as her DSL.
func export(t *testing.T, db *postgres.DB, s *smallSchool, recipient string) []byte {
	t.Helper()
	id, err := db.ExportTransferBundle(t.Context(), s.dsl, s.ruby, postgres.TransferRequest{ToSchool: "Hilltop School", Recipient: recipient})
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := db.SentBundle(t.Context(), s.dsl, s.ruby, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SentBundle(t.Context(), s.staff1, s.ruby, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("staff downloaded the bundle: %v", err)
	}
	return bundle
}

func (s *testDB) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := s.owner.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTransferDueInWorkingDays(t *testing.T) {
	s := newSmallSchool(t)
	db := s.db.WithClock(transferClock)
	leaver(t, s, db)

	// Left on Tuesday 31 March 2026: five working days skip the weekend,
	// Good Friday and Easter Monday, to Thursday 9 April (weekdays alone
	// would say Tuesday 7 April).
	todo, err := db.TransfersToDo(t.Context(), s.dsl)
	if err != nil {
		t.Fatal(err)
	}
	if len(todo) != 1 || todo[0].Pupil.ID != s.ruby || todo[0].Due.Format(time.DateOnly) != "2026-04-09" {
		t.Fatalf("transfers to do = %+v, want Ruby due 2026-04-09", todo)
	}
	t.Run("DeputyToo", func(t *testing.T) {
		if todo, err := db.TransfersToDo(t.Context(), s.deputy); err != nil || len(todo) != 1 {
			t.Errorf("the deputy's transfers to do = %v (%v), want Ruby's", todo, err)
		}
	})
	t.Run("OnlyPupilsWithAFile", func(t *testing.T) {
		if err := db.MarkLeft(t.Context(), s.dsl, s.tom, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		fresh, err := s.db.AddPupils(t.Context(), s.schoolID, []postgres.PupilInput{{FirstName: "No", LastName: "File", YearGroup: 9,
			DateOfBirth: time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.MarkLeft(t.Context(), s.dsl, fresh[0], time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		todo, _ := db.TransfersToDo(t.Context(), s.dsl)
		if len(todo) != 2 { // Ruby and Tom, who is on the concern as a witness; not the pupil with no file
			t.Errorf("transfers to do = %+v, want Ruby's and Tom's", todo)
		}
	})
	t.Run("NotNeededWithAReason", func(t *testing.T) {
		err := db.RecordTransferNotNeeded(t.Context(), s.dsl, s.tom, "  ")
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Fatalf("no reason: %v, want refused", err)
		}
		if err := db.RecordTransferNotNeeded(t.Context(), s.dsl, s.tom, "Moved abroad; no school to send it to."); err != nil {
			t.Fatal(err)
		}
		todo, _ := db.TransfersToDo(t.Context(), s.dsl)
		if len(todo) != 1 || todo[0].Pupil.ID != s.ruby {
			t.Errorf("after Tom's was not needed, transfers to do = %+v, want Ruby's", todo)
		}
	})
	t.Run("NotForStaffOrAdmin", func(t *testing.T) {
		for _, v := range []safeguarding.Viewer{s.staff1, s.admin, s.principal, s.governor} {
			if todo, _ := db.TransfersToDo(t.Context(), v); len(todo) != 0 {
				t.Errorf("%v sees transfers %+v", v.Roles, todo)
			}
			if err := db.MarkLeft(t.Context(), v, s.tom, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("%v marks a pupil left: %v", v.Roles, err)
			}
		}
	})
	t.Run("NotInTheFuture", func(t *testing.T) {
		fresh, _ := s.db.AddPupils(t.Context(), s.schoolID, []postgres.PupilInput{{FirstName: "Later", LastName: "Leaver", YearGroup: 9,
			DateOfBirth: time.Date(2011, 1, 1, 0, 0, 0, 0, time.UTC)}})
		err := db.MarkLeft(t.Context(), s.dsl, fresh[0], time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC))
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("left tomorrow: %v, want refused", err)
		}
	})
}

func TestTransferInOneDeployment(t *testing.T) {
	s := newSmallSchool(t)
	db := s.db.WithClock(transferClock)
	leaver(t, s, db)
	school2, dsl2, staff2 := secondSchool(t, s.testDB, "Hilltop School")
	keys1, name1, err := db.TransferKeys(t.Context(), s.dsl)
	if err != nil || name1 != "Riverside Academy" {
		t.Fatalf("keys of the first school: %v %q", err, name1)
	}
	keys2, _, err := db.TransferKeys(t.Context(), dsl2)
	if err != nil {
		t.Fatal(err)
	}
	if again, _, _ := db.TransferKeys(t.Context(), s.deputy); !bytes.Equal(again.SigningPublic, keys1.SigningPublic) {
		t.Fatal("the deputy was given other keys than the DSL's: the school has one pair")
	}

	bundle := export(t, db, s, keys2.AgeRecipient)
	if n := s.count(t, `SELECT count(*) FROM file_transfers WHERE pupil_id = $1 AND outcome = 'sent'`, s.ruby); n != 1 {
		t.Fatalf("%d transfers recorded as sent, want 1", n)
	}
	if n := s.count(t, `SELECT count(*) FROM audit_log WHERE action = 'transfer_sent' AND object = $1`, "pupil:"+strconv.FormatInt(s.ruby, 10)); n != 1 {
		t.Errorf("%d audit rows of the sending, want 1", n)
	}
	if todo, _ := db.TransfersToDo(t.Context(), s.dsl); len(todo) != 0 {
		t.Errorf("after sending, transfers to do = %+v", todo)
	}

	nothingImported := func(t *testing.T) {
		t.Helper()
		if n := s.count(t, `SELECT count(*) FROM received_files`); n != 0 {
			t.Errorf("%d received files kept, want none", n)
		}
		if n := s.count(t, `SELECT count(*) FROM pupils WHERE school_id = $1`, school2); n != 0 {
			t.Errorf("%d pupils added to the second school, want none", n)
		}
	}
	refused := func(t *testing.T, data []byte, sender []byte, want error) {
		t.Helper()
		_, err := db.ImportTransferBundle(t.Context(), dsl2, data, sender)
		if safeguarding.ErrorCode(err) != safeguarding.EINVALID || safeguarding.ErrorMessage(err) != want.Error() {
			t.Errorf("import: %v, want %q", err, want)
		}
		nothingImported(t)
	}
	t.Run("Altered", func(t *testing.T) {
		altered := bytes.Clone(bundle)
		i := len(altered) / 2
		if altered[i] == 'A' {
			altered[i] = 'B'
		} else {
			altered[i] = 'A'
		}
		refused(t, altered, keys1.SigningPublic, transfer.ErrDamaged)
	})
	t.Run("SignedByAnotherKey", func(t *testing.T) {
		other, _ := transfer.NewKeys()
		refused(t, bundle, other.SigningPublic, transfer.ErrWrongSigner)
		// A bundle made by someone else, encrypted to the right school,
		// naming the first school: its signature is not the first school's.
		forged, err := transfer.Seal(safeguarding.TransferBundle{Version: 1, BundleID: "00000000-0000-4000-8000-000000000000",
			FromSchool: "Riverside Academy", ToRecipient: keys2.AgeRecipient,
			Pupil: safeguarding.BundlePupil{FirstName: "Ruby", LastName: "Okafor", DateOfBirth: "2010-05-14"}}, other, keys2.AgeRecipient)
		if err != nil {
			t.Fatal(err)
		}
		refused(t, forged, keys1.SigningPublic, transfer.ErrWrongSigner)
	})
	t.Run("EncryptedToAnotherSchool", func(t *testing.T) {
		third, _ := transfer.NewKeys()
		toThird := export(t, db, s, third.AgeRecipient)
		refused(t, toThird, keys1.SigningPublic, transfer.ErrNotForThisSchool)
	})
	t.Run("NotByStaff", func(t *testing.T) {
		if _, err := db.ImportTransferBundle(t.Context(), staff2, bundle, keys1.SigningPublic); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("staff import: %v", err)
		}
		nothingImported(t)
	})

	id, err := db.ImportTransferBundle(t.Context(), dsl2, bundle, keys1.SigningPublic)
	if err != nil {
		t.Fatal(err)
	}
	f, err := db.ReceivedFile(t.Context(), dsl2, id)
	if err != nil {
		t.Fatal(err)
	}
	checkReceived(t, f)
	if n := s.count(t, `SELECT count(*) FROM pupils WHERE school_id = $1 AND upn = 'A123456789012' AND id = $2`, school2, f.PupilID); n != 1 {
		t.Errorf("the second school has %d pupils with Ruby's UPN, want her", n)
	}
	if _, err := db.ImportTransferBundle(t.Context(), dsl2, bundle, keys1.SigningPublic); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("importing twice: %v, want refused", err)
	}
	if _, err := db.ReceivedFile(t.Context(), staff2, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("staff read the received file: %v", err)
	}
	if _, err := db.ReceivedFile(t.Context(), s.dsl, id); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
		t.Errorf("the sending DSL read the receiving school's file: %v", err)
	}
	if _, err := s.owner.Exec(t.Context(), `SET ROLE haven_app`); err != nil {
		t.Fatal(err)
	}
	_, err = s.owner.Exec(t.Context(), `UPDATE received_files SET contents = '{}'`)
	s.owner.Exec(t.Context(), `RESET ROLE`)
	if err == nil {
		t.Error("the app may change a received file's contents")
	}

	receipt, err := db.ConfirmReceipt(t.Context(), dsl2, id)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := db.PupilTransfers(t.Context(), s.dsl, s.ruby)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent.Sent) == 0 || sent.Sent[0].ReceiptConfirmedAt == nil || sent.Sent[0].ReceiptSchool != "Hilltop School" {
		t.Fatalf("the sender's record after the receipt = %+v, want receipt confirmed by Hilltop School", sent.Sent)
	}
	if r, _, err := transfer.ReadReceipt(receipt); err != nil || r.BundleID != f.BundleID {
		t.Errorf("the receipt reads %+v, %v", r, err)
	}
}

// checkReceived checks the file Ruby's new school received: her own part
// and words, Tom as another pupil, nothing of his.
func checkReceived(t *testing.T, f safeguarding.ReceivedFile) {
	t.Helper()
	b := f.Bundle
	if f.FromSchool != "Riverside Academy" || b.Pupil.UPN != "A123456789012" || b.Pupil.LeftOn != "2026-03-31" || len(b.Concerns) != 1 {
		t.Fatalf("received %+v", b)
	}
	c := b.Concerns[0]
	if c.ChildsWords != "RUBY'S OWN WORDS" || c.OtherPupils != 1 || c.Part != safeguarding.PartHarmed.Label() {
		t.Errorf("received concern %+v", c)
	}
	var decision bool
	for _, e := range c.Entries {
		decision = decision || e.Kind == "decision" && len(e.Details) > 0 && e.Details[0].Value == "Several CSE indicators"
	}
	if !decision {
		t.Errorf("the decision about the whole concern is missing: %+v", c.Entries)
	}
	all, _ := json.Marshal(b)
	for _, secret := range []string{"TOM'S OWN WORDS", "TOM'S CONVERSATION", "Hughes"} {
		if bytes.Contains(all, []byte(secret)) {
			t.Errorf("the bundle holds %q, another pupil's", secret)
		}
	}
}

func TestTransferBetweenDatabases(t *testing.T) {
	s := newSmallSchool(t)
	db := s.db.WithClock(transferClock)
	leaver(t, s, db)
	other := newTestDB(t)
	school2, dsl2, _ := secondSchool(t, other, "Hilltop School")
	keys1, _, err := db.TransferKeys(t.Context(), s.dsl)
	if err != nil {
		t.Fatal(err)
	}
	keys2, _, err := other.db.TransferKeys(t.Context(), dsl2)
	if err != nil {
		t.Fatal(err)
	}
	bundle := export(t, db, s, keys2.AgeRecipient)
	// The second school already has Ruby on its roll: the file is linked
	// to her by UPN.
	ids, err := other.db.AddPupils(t.Context(), school2, []postgres.PupilInput{{FirstName: "Ruby", LastName: "Okafor", YearGroup: 10,
		DateOfBirth: time.Date(2010, 5, 14, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.owner.Exec(t.Context(), `UPDATE pupils SET upn = 'A123456789012' WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	id, err := other.db.ImportTransferBundle(t.Context(), dsl2, bundle, keys1.SigningPublic)
	if err != nil {
		t.Fatal(err)
	}
	f, err := other.db.ReceivedFile(t.Context(), dsl2, id)
	if err != nil {
		t.Fatal(err)
	}
	checkReceived(t, f)
	if f.PupilID != ids[0] || other.count(t, `SELECT count(*) FROM pupils`) != 1 {
		t.Errorf("the file went to pupil %d, want Ruby (%d), with no pupil added", f.PupilID, ids[0])
	}
	receipt, err := other.db.ConfirmReceipt(t.Context(), dsl2, id)
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := db.PupilTransfers(t.Context(), s.dsl, s.ruby)
	if pending.Sent[0].ReceiptConfirmedAt != nil {
		t.Fatal("receipt confirmed before the sender recorded it")
	}
	if err := db.RecordReceipt(t.Context(), s.dsl, s.ruby, "HAVEN-RECEIPT-1.bm9uc2Vuc2U.AAAA"); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("a receipt that does not read: %v, want refused", err)
	}
	if err := db.RecordReceipt(t.Context(), s.dsl, s.tom, receipt); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
		t.Errorf("a receipt for another pupil's file: %v, want refused", err)
	}
	if err := db.RecordReceipt(t.Context(), s.dsl, s.ruby, receipt); err != nil {
		t.Fatal(err)
	}
	done, _ := db.PupilTransfers(t.Context(), s.dsl, s.ruby)
	if done.Sent[0].ReceiptConfirmedAt == nil || done.Sent[0].ReceiptSchool != "Hilltop School" {
		t.Errorf("after the receipt, sent = %+v", done.Sent)
	}
}
