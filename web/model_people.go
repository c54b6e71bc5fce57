package web

import "strconv"

// PeoplePath is the administrator's list of the school's people.
const PeoplePath = "/people"

// InvitePath is where the administrator invites a person.
const InvitePath = "/people/invite"

// PersonPath is the page of the person with that id.
func PersonPath(id int64) string { return PeoplePath + "/" + strconv.FormatInt(id, 10) }

// PeopleList is the administrator's list of people, one page of it.
type PeopleList struct {
	Query      string
	People     []PersonRow
	Prev, Next string // the pages before and after; "" if none
	Summary    string // e.g. "3 people match “smith”"
}

// PersonRow is one person in the list, ready to show.
type PersonRow struct {
	Href, Name, Email, JobTitle, Roles string
	LastSignIn                         string // "Never signed in" or a date
	TwoFactor                          string // "Two-factor set up" or "No two-factor"
	Tags                               []TagText
}

// TagText is a status tag's words and GOV.UK colour.
type TagText struct {
	Text, Colour string
}

// InviteForm is the invitation form's state.
type InviteForm struct {
	Email, Name, JobTitle string
	Roles                 []Choice
	Errors                Errors
}

// PersonPage is one person's page: their details, the changes an
// administrator may make, and their history.
type PersonPage struct {
	ID     int64
	Name   string
	Tags   []TagText
	Facts  []SummaryRow
	Notice string // what the last change did, shown in a success banner
	Errors Errors
	// Roles are the role checkboxes, checked as they hold them (or as
	// last submitted, when refused).
	Roles []Choice
	// What the page offers: each is shown only when it can be done.
	Active, Self, SecondFactor, Resend, Revoke bool
	History                                    []PersonEvent
}

// PersonEvent is one line of a person's history.
type PersonEvent struct {
	When, What, Who, Detail string
}

// InvitationPage is where an invitation link leads: a password form while
// the link works, otherwise what to do instead.
type InvitationPage struct {
	Valid            bool
	Name, SchoolName string
	Action           string // where the form posts: the link itself
	Errors           Errors
	// SignedInAs names whoever is signed in on this browser, whom setting
	// the password signs out; "" if no one is.
	SignedInAs string
}
