package safeguarding

import (
	"cmp"
	"slices"
	"time"
)

// DeadlineKind is what a deadline is for (DESIGN.md "Referrals and
// deadlines").
type DeadlineKind string

const (
	// DeadlineReferralResponse: the agency's response to a referral, due
	// one working day after the referral (§11.9).
	DeadlineReferralResponse DeadlineKind = "referral_response"
	// DeadlineFeedback: feedback to the member of staff who raised the
	// concern, due two working days after it was logged (§11.8).
	DeadlineFeedback DeadlineKind = "feedback"
	// DeadlineTransfer: a leaver's child-protection file, due with their
	// new school five working days after they left (TransferDue). It is
	// kept not in the deadlines table but by the pupil's leaving day and
	// the file_transfers that meet it.
	DeadlineTransfer DeadlineKind = "transfer"
)

// WorkingDays is how many working days after its first day a deadline of
// kind k falls due.
func (k DeadlineKind) WorkingDays() int {
	switch k {
	case DeadlineFeedback:
		return 2
	case DeadlineTransfer:
		return TransferWorkingDays
	}
	return 1
}

// Label names the deadline in the Due view.
func (k DeadlineKind) Label() string {
	switch k {
	case DeadlineReferralResponse:
		return "Response to a referral"
	case DeadlineFeedback:
		return "Feedback to the member of staff"
	case DeadlineTransfer:
		return "Transfer of a leaver's file"
	}
	return string(k)
}

// DeadlineKinds are the kinds of deadline kept with the concerns.
var DeadlineKinds = []DeadlineKind{DeadlineReferralResponse, DeadlineFeedback}

// Deadline is something the DSL owes by a day: counted in working days from
// From (a date), so that closure days entered later still move it.
type Deadline struct {
	SchoolID  int64
	ID        int64
	Kind      DeadlineKind
	ConcernID int64
	EntryID   int64     // the referral a response is due for
	PupilID   int64     // the leaver a transfer is due for (ConcernID is 0)
	From      time.Time // the date counting starts from
	Due       time.Time // the date it falls due, from the Calendar (Calendar.DueOn)
	// What says what is due, as the Due view lists it (the agency, say);
	// never a name.
	What string
	// Link is where it is done.
	Link string
}

// DueList is the Due view: the first of the school's open deadlines,
// overdue first then soonest, with how many there are and how many are
// overdue.
type DueList struct {
	Deadlines      []Deadline
	Total, Overdue int
}

// DueOn is the date deadline d falls due at a school with this calendar.
func (c Calendar) DueOn(kind DeadlineKind, from time.Time) time.Time {
	return c.AddWorkingDays(from, kind.WorkingDays())
}

// OverdueBefore is the first day counting may start on for a deadline of n
// working days not to be overdue at now: every such deadline counted from
// an earlier day is overdue. It lets the store count overdue deadlines by
// comparing their first days, with no date worked out per row.
func (c Calendar) OverdueBefore(n int, now time.Time) time.Time {
	today := DateInEngland(now)
	from := today // due after today at the earliest, so not overdue
	for !Overdue(c.AddWorkingDays(from.AddDate(0, 0, -1), n), now) {
		from = from.AddDate(0, 0, -1)
	}
	return from
}

// DeadlinesFrom is how many open deadlines of one kind count from one day:
// the daily digest reads the school's open deadlines so, without names.
type DeadlinesFrom struct {
	Kind DeadlineKind
	From time.Time
	N    int
}

// OverdueAmong is how many of the open deadlines ds are overdue at now at a
// school with this calendar.
func (c Calendar) OverdueAmong(ds []DeadlinesFrom, now time.Time) int {
	n := 0
	for _, d := range ds {
		if Overdue(c.DueOn(d.Kind, d.From), now) {
			n += d.N
		}
	}
	return n
}

// DueState is where a deadline stands on a day: not yet due, due today, or
// overdue.
type DueState int

const (
	NotYetDue DueState = iota
	DueToday
	PastDue
)

// StateAt is where a deadline due on due stands at now.
func StateAt(due, now time.Time) DueState {
	switch today := DateInEngland(now); {
	case today.After(dateOnly(due)):
		return PastDue
	case today.Equal(dateOnly(due)):
		return DueToday
	}
	return NotYetDue
}

// SortDeadlines orders deadlines as the Due view lists them: overdue ones
// first, then soonest first.
func SortDeadlines(ds []Deadline, now time.Time) {
	slices.SortStableFunc(ds, func(a, b Deadline) int {
		ao, bo := Overdue(a.Due, now), Overdue(b.Due, now)
		if ao != bo {
			if ao {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.ConcernID, b.ConcernID), cmp.Compare(a.PupilID, b.PupilID), cmp.Compare(a.ID, b.ID))
	})
}

// MaySeeDue reports whether a person with roles rs has the Due view: the
// DSL and deputies, who owe the school's deadlines.
func MaySeeDue(rs Roles) bool { return rs.Has(RoleDSL, RoleDeputyDSL) }

// MaySeeTransfersDue reports whether the Due view and the header's overdue
// count of a person with roles rs hold the leavers' file transfers: when
// they have the Due view and may transfer files (MayTransferFiles), for a
// deadline is shown only to whom may meet it. Today both admit the DSL and
// deputies, so theirs hold every transfer due; the database holds the same
// rule, as file_transfers shows itself only to haven_may_transfer_files.
func MaySeeTransfersDue(rs Roles) bool { return MaySeeDue(rs) && MayTransferFiles(rs) }

// OwesFeedback reports whether a concern logged by someone with roles rs on
// route r owes them feedback (§11.8): unless they handle it themselves.
func OwesFeedback(rs Roles, r Route) bool { return !Handles(rs, r) }

// DeadlineOpened is the deadline entry e opens, if any: a referral's
// response, due from the referral's date.
func DeadlineOpened(e Entry) (Deadline, bool) {
	if e.Kind != EntryReferral {
		return Deadline{}, false
	}
	from, err := time.Parse(time.DateOnly, e.Details.ReferredOn)
	if err != nil {
		from = DateInEngland(e.When())
	}
	return Deadline{SchoolID: e.SchoolID, Kind: DeadlineReferralResponse, ConcernID: e.ConcernID, EntryID: e.ID, From: from}, true
}

// DeadlinesMet says which of a concern's open deadlines entry e meets: the
// response to the referral it answers; the feedback it gives; and, when it
// closes the concern saying why referrals have no response, those
// referrals' responses. entryID is 0 when e meets every deadline of kind.
func DeadlinesMet(e Entry) (kind DeadlineKind, entryID int64, ok bool) {
	switch {
	case e.Kind == EntryReferralResponse && e.Details.ReferralID != 0:
		return DeadlineReferralResponse, e.Details.ReferralID, true
	case e.Kind == EntryFeedback:
		return DeadlineFeedback, 0, true
	case e.Kind == EntryClosed && e.Details.NoResponseWhy != "":
		return DeadlineReferralResponse, 0, true
	}
	return "", 0, false
}

// SeesDeadlines reports whether v sees the deadlines of concern c: the DSL
// and deputies on every concern they read in full (the Due view), and its
// case handlers, who meet them. deadlines_read in access.sql holds the same.
func SeesDeadlines(v Viewer, c ConcernAccess) bool {
	return (MaySeeDue(v.Roles) && SeesFullRecord(v, c)) || Can(v, c, ActionTriage)
}

// FeedbackNotice is the e-mail to the member of staff who logged a concern
// that feedback on it has been recorded (§11.8): ids only.
type FeedbackNotice struct {
	SchoolID, ConcernID, LoggedBy int64
}

// FeedbackNoticeFor is the notice recording e on concern c sends, if any:
// feedback to someone other than its author.
func FeedbackNoticeFor(c Concern, e Entry) (FeedbackNotice, bool) {
	if e.Kind != EntryFeedback || c.LoggedBy == 0 || c.LoggedBy == e.AuthorID {
		return FeedbackNotice{}, false
	}
	return FeedbackNotice{SchoolID: c.SchoolID, ConcernID: c.ID, LoggedBy: c.LoggedBy}, true
}
