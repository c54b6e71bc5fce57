package web

import "strings"

// Emergency is what the concern form and its confirmation show when a child
// is in immediate danger: the school's own numbers, and 999.
type Emergency struct {
	// AboutAdult: the concern is about an adult, so the danger is to the
	// child or children the adult may harm.
	AboutAdult           bool
	DSLPhone             string
	SocialCarePhone      string
	SocialCareOutOfHours string
	// MaySetContacts: the viewer may set the school's numbers, and is
	// offered the page to do it while they are not set.
	MaySetContacts bool
}

// emergency is the form's emergency panel, worded for the subject as
// answered so far.
func (p ConcernFormPage) emergency() Emergency {
	e := p.Emergency
	e.AboutAdult = p.aboutAdult()
	return e
}

func (e Emergency) forChild() Emergency { e.AboutAdult = false; return e }
func (e Emergency) forAdult() Emergency { e.AboutAdult = true; return e }

// numbersSet reports whether the school has set any of its numbers.
func (e Emergency) numbersSet() bool {
	return e.DSLPhone != "" || e.SocialCarePhone != "" || e.SocialCareOutOfHours != ""
}

// heading is the panel's first line, for the child or the children at risk.
func (e Emergency) heading() string {
	if e.AboutAdult {
		return "A child at risk from this adult is in immediate danger: get help now. Do not wait for the principal or the DSL."
	}
	return "The child is in immediate danger: get help now. Do not wait for the DSL."
}

// urgentQuestion is the concern form's first question, asked of the child
// a concern is about, or of the children an adult may harm.
func urgentQuestion(aboutAdult bool) string {
	if aboutAdult {
		return "Is any child in immediate danger or at risk of immediate serious harm from this adult?"
	}
	return "Is the child in immediate danger or at risk of immediate serious harm?"
}

// SettingsContactsPath is the page on which the DSL or the administrator
// sets the school's emergency contacts.
const SettingsContactsPath = "/settings/contacts"

// SchoolContactsForm is the emergency contacts settings page: the numbers
// as typed, exactly as typed, so that a refused form loses nothing.
type SchoolContactsForm struct {
	DSLPhone             string
	SocialCarePhone      string
	SocialCareOutOfHours string
	Errors               Errors
	Saved                bool   // the numbers were just saved
	LastChanged          string // who last set them and when: "Dee Lead on 3 March 2026 at 10:14am"; "" if never
}

// telephoneURI is number as a tel: link, for a tap to call on a phone: its
// digits and a leading +, nothing else.
func telephoneURI(number string) string {
	var b strings.Builder
	b.WriteString("tel:")
	for i, r := range strings.TrimSpace(number) {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
