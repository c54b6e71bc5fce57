// Package web holds Haven's user interface: the page layout, reusable GOV.UK
// form components (templ), and the static assets they need.
//
// Everything here renders on the server and works without JavaScript; the
// script in static/app.js only adds GOV.UK Frontend's enhancements. Nothing
// uses inline scripts or style attributes, so pages run under a strict
// Content-Security-Policy (default-src 'self').
package web

// NavLink is one item in the service navigation bar.
type NavLink struct {
	Href, Label string
	Current     bool // marks the link with aria-current="page"
}

// Page is what the layout needs to know about every page.
type Page struct {
	Title      string // for <title>: "<Title> – Haven"
	SignedIn   bool
	UserName   string
	RoleLabel  string // e.g. "Designated Safeguarding Lead"
	SchoolName string
	Nav        []NavLink
	// UnreadNotices is the signed-in person's count of unread notices,
	// shown in the header's link to them.
	UnreadNotices int
	// Search shows the header's pupil search (the DSL and deputies:
	// safeguarding.MayFindPupils); SearchQuery is what it holds.
	Search      bool
	SearchQuery string
}

// FieldError is one validation message. Field is the id of the input the
// error summary links to, so focusing the link lands on the right control.
type FieldError struct {
	Field, Message string
}

// Errors is a form's validation messages in the order the fields appear on
// the page, which is the order GOV.UK's error summary lists them.
type Errors []FieldError

// Get returns the message for field, or "" if it has none. When a field has
// several messages the first wins: GOV.UK shows one message per field.
func (e Errors) Get(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Any reports whether there are any errors at all.
func (e Errors) Any() bool { return len(e) > 0 }

// SignInForm is the sign-in page's state. There is deliberately no password
// field: a password is never sent back to the browser.
type SignInForm struct {
	Email  string
	Errors Errors
	Notice string // e.g. "You have been signed out."
	Next   string // the page to go to once signed in; "" for the home page
}

// ErrorInfo describes an error page, e.g. 404 "Page not found".
type ErrorInfo struct {
	Status  int
	Heading string
	Message string
}

// Home is the signed-in landing page.
type Home struct {
	Heading, Lead string
	// Warning is shown above everything: concerns routed to the person
	// that nobody has acknowledged in time.
	Warning, WarningHref string
	Sections             []HomeSection
}

// HomeSection is one area of work linked from the home page. NotBuiltYet
// marks work that does not exist yet: it is shown with a "Not built yet" tag
// and no link, so nobody mistakes it for a working page.
type HomeSection struct {
	Title, Body, Href, LinkText string
	NotBuiltYet                 bool
	// Items are short lines shown as a list below the body (what
	// training is due when).
	Items []string
	ID    string // the section's id, for links and tests; "" for none
}

// Input configures TextInput, PasswordInput and Textarea.
type Input struct {
	ID, Name, Label, Hint, Value string
	Type                         string // input type; "" means "text"
	Autocomplete                 string
	// Width is a GOV.UK width: a character count ("2", "3", "4", "5", "10",
	// "20", "30") or a fraction ("full", "three-quarters", "two-thirds",
	// "one-half", "one-third", "one-quarter"); "" leaves it full width.
	Width          string
	Error          string
	LabelIsHeading bool   // the label is the page's <h1>
	LabelName      string // a person's name the label ends with, shown isolated (<bdi>)
	Rows           int    // a textarea's height in lines; 0 is 5
}

// Choices configures Checkboxes and Radios. Item ids are Name for the first
// item, then Name-2, Name-3, … (as GOV.UK's own macros do), so an error
// summary link to #Name focuses the first option.
type Choices struct {
	Name, Legend, Hint, Error string
	LegendIsHeading           bool // the legend is the page's <h1>
	Items                     []Choice
	Small                     bool
	// Columns lays a long list out in two columns on wider screens.
	Columns bool
}

// Choice is one checkbox or radio.
type Choice struct {
	Value, Label, Hint string
	Checked            bool
}

// DateFields configures DateInput. The inputs are named Name-day, Name-month
// and Name-year. The day input's id is Name, so an error summary link to
// #Name focuses it; the month and year ids are Name-month and Name-year, for
// errors about just those parts.
type DateFields struct {
	Name, Legend, Hint, Error string
	Day, Month, Year          string
}

// SelectField configures Select.
type SelectField struct {
	ID, Name, Label, Hint, Error string
	Options                      []Option
}

// Option is one <option> of a Select.
type Option struct {
	Value, Label string
	Selected     bool
}

// SummaryRow is one key/value row of a SummaryList.
type SummaryRow struct {
	Key, Value string
}

// RetryForm is a form Haven could not save, carried back to the browser.
type RetryForm struct {
	Heading, Message string
	Action           string      // where "Try again" posts
	Fields           []FormField // every posted field, to post again
	Typed            []SummaryRow
}

// FormField is one posted name and value.
type FormField struct{ Name, Value string }
