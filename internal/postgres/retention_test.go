package postgres_test

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// retentionSchool is a small school with pupils either side of the
// retention line on today: Olga, whose file is due today (born 25 years
// before), and Yusuf, a day younger, who share a concern; Olga's own
// concern; Yusuf's own concern; and Nell, old enough but with no file.
type retentionSchool struct {
	*smallSchool
	today                  time.Time
	olga, yusuf, nell      int64
	olgaOnly, shared, yOwn int64
}

func newRetentionSchool(t *testing.T) *retentionSchool {
	t.Helper()
	s := &retentionSchool{smallSchool: newSmallSchool(t), today: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}
	ids, err := s.db.AddPupils(t.Context(), s.schoolID, []postgres.PupilInput{
		{FirstName: "Olga", LastName: "Oldfield", YearGroup: 11, DateOfBirth: time.Date(2001, 12, 3, 0, 0, 0, 0, time.UTC)},
		{FirstName: "Yusuf", LastName: "Young", YearGroup: 11, DateOfBirth: time.Date(2001, 12, 4, 0, 0, 0, 0, time.UTC)},
		{FirstName: "Nell", LastName: "Nofile", YearGroup: 11, DateOfBirth: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.olga, s.yusuf, s.nell = ids[0], ids[1], ids[2]
	s.olgaOnly = logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.olga}, Categories: []string{"neglect"},
		WhatHappened: "Olga came in hungry.", Parts: []safeguarding.PupilPart{{PupilID: s.olga, Part: safeguarding.PartHarmed,
			ChildsWords: "There was no food at home."}}})
	addEntry(t, s.db, s.dsl, s.olgaOnly, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Spoke to Olga's mother."})
	s.shared = logConcern(t, s.db, s.staff1, safeguarding.ConcernInput{PupilIDs: []int64{s.olga, s.yusuf}, Categories: []string{"cse"},
		WhatHappened: "Both were seen getting into a car.", Parts: []safeguarding.PupilPart{
			{PupilID: s.olga, Part: safeguarding.PartHarmed, ChildsWords: "He buys me things."},
			{PupilID: s.yusuf, Part: safeguarding.PartWitness, ChildsWords: "I saw the car."}}})
	addEntry(t, s.db, s.dsl, s.shared, safeguarding.EntryInput{Kind: safeguarding.EntryAcknowledged})
	addEntry(t, s.db, s.dsl, s.shared, safeguarding.EntryInput{Kind: safeguarding.EntryConversationChild, Body: "Olga told me about the man.",
		PupilIDs: []int64{s.olga}})
	addEntry(t, s.db, s.dsl, s.shared, safeguarding.EntryInput{Kind: safeguarding.EntryConversationChild, Body: "Yusuf described the car.",
		PupilIDs: []int64{s.yusuf}})
	addEntry(t, s.db, s.dsl, s.shared, safeguarding.EntryInput{Kind: safeguarding.EntryDecision, Body: "Refer to children's social care.",
		Details: safeguarding.EntryDetails{Reason: "Signs of exploitation."}})
	s.yOwn = logConcern(t, s.db, s.staff2, safeguarding.ConcernInput{PupilIDs: []int64{s.yusuf}, Categories: []string{"online_safety"},
		WhatHappened: "Yusuf was sent messages."})
	return s
}

func (s *retentionSchool) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := s.owner.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestListRetentionDue: the nightly listing takes exactly the files whose
// retention date (date of birth plus 25 years) has come, and lists each once.
func TestListRetentionDue(t *testing.T) {
	s := newRetentionSchool(t)
	n, err := s.db.ListRetentionDue(t.Context(), s.today)
	if err != nil || n != 1 {
		t.Fatalf("listed %d (%v), want 1", n, err)
	}
	r, err := s.db.Retention(t.Context(), s.dsl)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Due) != 1 || r.Due[0].Pupil.ID != s.olga || !r.Due[0].RetainUntil.Equal(s.today) {
		t.Fatalf("due %+v, want Olga's file alone, due today", r.Due)
	}
	if n, _ := s.db.ListRetentionDue(t.Context(), s.today); n != 0 {
		t.Errorf("listed %d again, want 0", n)
	}
	if n, _ := s.db.ListRetentionDue(t.Context(), s.today.AddDate(0, 0, 1)); n != 1 {
		t.Errorf("next day listed %d, want Yusuf's file", n)
	}
	if c, err := s.db.RetentionDueCount(t.Context(), s.principal); err != nil || c != 2 {
		t.Errorf("principal's count %d (%v), want 2", c, err)
	}
	for _, v := range []safeguarding.Viewer{s.staff1, s.chair, s.governor, s.admin} {
		if _, err := s.db.Retention(t.Context(), v); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
			t.Errorf("viewer with roles %v reads the retention page: %v, want ENOTFOUND", v.Roles, err)
		}
	}
}

// TestDestroyChildFile: one person alone cannot destroy a file; once the
// DSL and the principal have agreed, Olga's records are gone, a tombstone
// remains, Yusuf's records are intact, and the chronology still verifies.
func TestDestroyChildFile(t *testing.T) {
	s := newRetentionSchool(t)
	ctx := t.Context()
	if _, err := s.db.ListRetentionDue(ctx, s.today); err != nil {
		t.Fatal(err)
	}
	yusufBefore, err := s.db.ChildFile(ctx, s.dsl, s.yusuf, 0)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OnePersonAlone", func(t *testing.T) {
		if id, err := s.db.AgreeToDestroy(ctx, s.dsl, s.olga, "Retention period over; no open matters."); err != nil || id != 0 {
			t.Fatalf("DSL agrees: destroyed %d (%v), want 0 and no error", id, err)
		}
		if _, err := s.db.AgreeToDestroy(ctx, s.dsl, s.olga, "Again."); safeguarding.ErrorCode(err) != safeguarding.EINVALID {
			t.Errorf("DSL agrees twice: %v, want EINVALID", err)
		}
		if _, err := s.db.AgreeToDestroy(ctx, s.deputy, s.olga, "Agreed."); err != nil {
			t.Errorf("deputy agrees: %v", err)
		}
		if n := s.count(t, `SELECT count(*) FROM concern_pupils WHERE pupil_id = $1`, s.olga); n != 2 {
			t.Errorf("after the DSL and a deputy alone, Olga is on %d concerns, want 2", n)
		}
		// The database refuses too, asked directly with one approval.
		err := asViewerTx(t, s.db, s.dsl, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `SELECT haven_destroy_child_file($1)`, s.olga)
			return err
		})
		if err == nil {
			t.Error("the database destroyed the file with only safeguarding leads agreeing")
		}
		for _, v := range []safeguarding.Viewer{s.staff1, s.chair, s.admin} {
			if _, err := s.db.AgreeToDestroy(ctx, v, s.olga, "No."); safeguarding.ErrorCode(err) != safeguarding.ENOTFOUND {
				t.Errorf("viewer with roles %v agrees: %v, want ENOTFOUND", v.Roles, err)
			}
		}
	})

	t.Run("TwoPeople", func(t *testing.T) {
		// What hangs from her own concern and from her: a file kept with
		// it, its escalation and notice, her pattern flag and its notice.
		for _, q := range []string{
			`INSERT INTO concern_attachments (school_id, concern_id, file_name, content_type, size, sha256, content, uploaded_by, uploaded_at)
				VALUES ($1, $2, 'letter.pdf', 'application/pdf', 4, sha256('%PDF'), '%PDF', $4, now())`,
			`INSERT INTO concern_escalations (school_id, concern_id, escalated_at, escalated_to, with_access) VALUES ($1, $2, now(), 'principal', true)`,
			`INSERT INTO notices (school_id, person_id, kind, concern_id, message, created_at) VALUES ($1, $4, 'escalation', $2, 'A concern was escalated', now())`,
			`INSERT INTO notices (school_id, person_id, kind, pupil_id, message, created_at) VALUES ($1, $4, 'pattern', $3, 'A pattern rule flagged a child', now())`,
			`INSERT INTO pattern_flags (school_id, pupil_id, rule, concern_ids, raised_at) VALUES ($1, $3, 'many_concerns', ARRAY[$2::bigint], now())`,
			// Her file as another school sent it, kept as it was signed.
			`INSERT INTO received_files (school_id, pupil_id, bundle_id, from_school, sender_key, version, contents, received_at, received_by,
				signed_bundle, signature)
				VALUES ($1, $3, gen_random_uuid(), 'Brook Primary', decode(repeat('01', 32), 'hex'), 1, '{"pupil": {"first_name": "Olga"}}', now(), $4,
				convert_to('{"pupil":{"first_name":"Olga"}}', 'UTF8'), decode(repeat('02', 64), 'hex'))`,
		} {
			// Every parameter typed, whether the statement uses it or not.
			q = `WITH p AS (SELECT $1::bigint, $2::bigint, $3::bigint, $4::bigint) ` + q
			if _, err := s.owner.Exec(ctx, q, s.schoolID, s.olgaOnly, s.olga, s.dsl.PersonID); err != nil {
				t.Fatal(err)
			}
		}
		id, err := s.db.AgreeToDestroy(ctx, s.principal, s.olga, "Agreed: past the retention date.")
		if err != nil || id == 0 {
			t.Fatalf("principal confirms: destroyed %d (%v)", id, err)
		}
		for what, sql := range map[string]string{
			"parts":                 `SELECT count(*) FROM concern_pupils WHERE pupil_id = $1`,
			"entries about her":     `SELECT count(*) FROM chronology_entries WHERE pupil_ids = ARRAY[$1::bigint]`,
			"her own concern":       `SELECT count(*) FROM concerns WHERE id = ` + itoa(s.olgaOnly) + ` AND $1 > 0`,
			"own concern's entries": `SELECT count(*) FROM chronology_entries WHERE concern_id = ` + itoa(s.olgaOnly) + ` AND $1 > 0`,
			"listing":               `SELECT count(*) FROM retention_reviews WHERE pupil_id = $1`,
			"agreements":            `SELECT count(*) FROM destruction_approvals WHERE pupil_id = $1`,
			"files kept":            `SELECT count(*) FROM concern_attachments WHERE concern_id = ` + itoa(s.olgaOnly) + ` AND $1 > 0`,
			"escalations":           `SELECT count(*) FROM concern_escalations WHERE concern_id = ` + itoa(s.olgaOnly) + ` AND $1 > 0`,
			"notices":               `SELECT count(*) FROM notices WHERE pupil_id = $1 OR concern_id = ` + itoa(s.olgaOnly),
			"pattern flags":         `SELECT count(*) FROM pattern_flags WHERE pupil_id = $1`,
			"received files":        `SELECT count(*) FROM received_files WHERE pupil_id = $1 OR position('Olga' IN convert_from(signed_bundle, 'UTF8')) > 0`,
		} {
			if n := s.count(t, sql, s.olga); n != 0 {
				t.Errorf("%s: %d rows remain, want none", what, n)
			}
		}
		var proposer, confirmer int64
		if err := s.owner.QueryRow(ctx, `SELECT proposed_by, confirmed_by FROM destroyed_files WHERE id = $1`, id).Scan(&proposer, &confirmer); err != nil {
			t.Fatal(err)
		}
		if proposer != s.dsl.PersonID || confirmer != s.principal.PersonID {
			t.Errorf("tombstone: proposed by %d, confirmed by %d; want the DSL %d and the principal %d", proposer, confirmer, s.dsl.PersonID, s.principal.PersonID)
		}
		r, err := s.db.Retention(ctx, s.dsl)
		if err != nil || len(r.Due) != 0 || len(r.Destroyed) != 1 || r.Destroyed[0].ConfirmedBy != "principal" {
			t.Errorf("retention page after: %+v (%v)", r, err)
		}

		yusufAfter, err := s.db.ChildFile(ctx, s.dsl, s.yusuf, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(yusufAfter.Concerns) != len(yusufBefore.Concerns) || len(yusufAfter.Chronology) != len(yusufBefore.Chronology) {
			t.Errorf("Yusuf's file had %d concerns and %d entries, now %d and %d", len(yusufBefore.Concerns), len(yusufBefore.Chronology),
				len(yusufAfter.Concerns), len(yusufAfter.Chronology))
		}
		for _, c := range yusufAfter.Concerns {
			if len(c.Pupils) != 0 {
				t.Errorf("concern %d still names other pupils %v on Yusuf's file", c.ID, c.Pupils)
			}
		}

		// Nothing of Olga's is left in the concern as logged, and her words
		// nowhere in the chronology.
		if n := s.count(t, `SELECT count(*) FROM chronology_entries WHERE body LIKE '%buys me things%' OR $1 = ANY (pupil_ids)`, s.olga); n != 0 {
			t.Errorf("%d entries still hold Olga's words or name her", n)
		}
		if n := s.count(t, `SELECT count(*) FROM chronology_entries WHERE body LIKE '%I saw the car.%' AND concern_id = $1`, s.shared); n != 1 {
			t.Errorf("the concern as logged lost Yusuf's words (%d)", n)
		}
		var body string
		if err := s.owner.QueryRow(ctx, `SELECT body FROM chronology_entries WHERE concern_id = $1 AND kind = 'concern_logged'`, s.shared).Scan(&body); err != nil {
			t.Fatal(err)
		}
		snap, err := safeguarding.DecodeConcernSnapshot([]byte(body))
		if err != nil {
			t.Fatalf("the redacted snapshot no longer decodes: %v\n%s", err, body)
		}
		if len(snap.PupilIDs) != 1 || snap.PupilIDs[0] != s.yusuf || len(snap.Pupils) != 1 || snap.Pupils[0].ChildsWords != "I saw the car." {
			t.Errorf("the redacted snapshot names %v with parts %+v, want Yusuf's alone", snap.PupilIDs, snap.Pupils)
		}
		c, err := s.db.Concern(ctx, s.dsl, s.shared)
		if err != nil {
			t.Fatalf("the shared concern after destruction: %v", err)
		}
		if len(c.Pupils) != 1 || c.Pupils[0].ID != s.yusuf {
			t.Errorf("the shared concern is about %v, want Yusuf alone", c.Pupils)
		}

		checked, breaks, err := postgres.VerifyChronology(ctx, s.connString)
		if err != nil || len(breaks) != 0 || checked == 0 {
			t.Fatalf("verify after destruction: checked %d, breaks %v (%v)", checked, breaks, err)
		}
		// The chain goes on from the destroyed entry's place.
		addEntry(t, s.db, s.dsl, s.shared, safeguarding.EntryInput{Kind: safeguarding.EntryAction, Body: "Met Yusuf's parents."})
		if _, breaks, err := postgres.VerifyChronology(ctx, s.connString); err != nil || len(breaks) != 0 {
			t.Errorf("verify after a later entry: breaks %v (%v)", breaks, err)
		}
		// Changing the redacted entry is still caught.
		if _, err := s.owner.Exec(ctx, `UPDATE chronology_entries SET body = replace(body, 'I saw the car.', 'I saw nothing.')
			WHERE concern_id = $1 AND kind = 'concern_logged'`, s.shared); err != nil {
			t.Fatal(err)
		}
		if _, breaks, _ := postgres.VerifyChronology(ctx, s.connString); len(breaks) != 1 || !strings.Contains(breaks[0].Problem, "redacted") {
			t.Errorf("verify after changing the redacted entry: breaks %v, want 1", breaks)
		}
		if _, err := s.owner.Exec(ctx, `UPDATE chronology_entries SET body = replace(body, 'I saw nothing.', 'I saw the car.')
			WHERE concern_id = $1 AND kind = 'concern_logged'`, s.shared); err != nil {
			t.Fatal(err)
		}
		// Removing another entry is still caught.
		if _, err := s.owner.Exec(ctx, `DELETE FROM chronology_entries WHERE concern_id = $1 AND kind = 'acknowledged'`, s.shared); err != nil {
			t.Fatal(err)
		}
		if _, breaks, _ := postgres.VerifyChronology(ctx, s.connString); len(breaks) != 1 {
			t.Errorf("verify after removing an entry: breaks %v, want 1", breaks)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
