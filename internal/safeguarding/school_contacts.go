package safeguarding

import (
	"regexp"
	"strings"
	"time"
)

// SchoolContacts are the numbers a member of staff needs when a child is in
// immediate danger (policy §11.5, §3.5; DESIGN.md "A concern"): the DSL's
// phone, the local children's social care front door and its out-of-hours
// line. 999 is not a setting: it is always shown. The DSL or the
// administrator sets them (MayEditSchoolContacts).
type SchoolContacts struct {
	DSLPhone             string
	SocialCarePhone      string // children's social care front door (MASH), in office hours
	SocialCareOutOfHours string // children's social care out of hours (the emergency duty team)

	UpdatedAt     time.Time // zero until first set
	UpdatedByName string
}

// IsSet reports whether the school has set its numbers.
func (c SchoolContacts) IsSet() bool {
	return c.DSLPhone != "" || c.SocialCarePhone != "" || c.SocialCareOutOfHours != ""
}

// Trimmed is c with the spaces people type around numbers removed.
func (c SchoolContacts) Trimmed() SchoolContacts {
	c.DSLPhone = strings.TrimSpace(c.DSLPhone)
	c.SocialCarePhone = strings.TrimSpace(c.SocialCarePhone)
	c.SocialCareOutOfHours = strings.TrimSpace(c.SocialCareOutOfHours)
	return c
}

// phonePattern is a UK or international number as people write it:
// digits with spaces, brackets and hyphens, and a leading + at most.
var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()-]*$`)

// maxPhoneLength bounds a number as stored (school_contacts' checks).
const maxPhoneLength = 40

// Problems says, by the settings form's field names, what stops the
// contacts being saved: every number is needed, since a member of staff
// with a child in danger has no time to look one up.
func (c SchoolContacts) Problems() FieldProblems {
	p := FieldProblems{}
	check := func(field, value, name string) {
		digits := 0
		for _, r := range value {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		switch {
		case value == "":
			p[field] = "Enter " + name
		case len(value) > maxPhoneLength:
			p[field] = "The number must be 40 characters or fewer"
		case !phonePattern.MatchString(value) || digits < 3:
			p[field] = "Enter " + name + " in digits, like 01632 960 001"
		}
	}
	c = c.Trimmed()
	check("dsl-phone", c.DSLPhone, "the DSL's phone number")
	check("social-care-phone", c.SocialCarePhone, "the children's social care front door number")
	check("social-care-out-of-hours", c.SocialCareOutOfHours, "the children's social care out-of-hours number")
	return p
}
