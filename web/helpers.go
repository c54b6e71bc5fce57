package web

import (
	"strconv"
	"strings"
)

// pageTitle is the text of <title>. Every page names itself first so that
// browser tabs and screen readers announce what the page is before whose it is.
func pageTitle(p Page) string {
	if p.Title == "" {
		return "Haven"
	}
	return p.Title + " – Haven"
}

// withErrorTitle prefixes the title with "Error: " when a form has errors, as
// GOV.UK does, so screen reader users hear that the submission failed before
// anything else.
func withErrorTitle(p Page, errs Errors) Page {
	if errs.Any() && !strings.HasPrefix(p.Title, "Error: ") {
		p.Title = "Error: " + p.Title
	}
	return p
}

// withDefaultTitle fills in a title the caller left empty.
func withDefaultTitle(p Page, title string) Page {
	if p.Title == "" {
		p.Title = title
	}
	return p
}

// describedBy joins the ids of a field's hint and error message for
// aria-describedby, so assistive technology reads them with the field.
func describedBy(id, hint, err string) string {
	var ids []string
	if hint != "" {
		ids = append(ids, id+"-hint")
	}
	if err != "" {
		ids = append(ids, id+"-error")
	}
	return strings.Join(ids, " ")
}

func formGroupClass(err string) string {
	if err != "" {
		return "govuk-form-group govuk-form-group--error"
	}
	return "govuk-form-group"
}

// inputID falls back to the field's name: most forms use the same string for
// both, and the error summary links to the id.
func inputID(in Input) string {
	if in.ID != "" {
		return in.ID
	}
	return in.Name
}

func inputType(in Input) string {
	if in.Type == "" {
		return "text"
	}
	return in.Type
}

// inputValue never echoes a password back into the page, whoever calls it.
func inputValue(in Input) string {
	if in.Type == "password" {
		return ""
	}
	return in.Value
}

// noSpellcheck is true for fields where the browser's spellchecker would only
// get in the way (and, for some browsers, send the text to a remote service).
func noSpellcheck(in Input) bool {
	return in.Type == "email" || in.Type == "password"
}

func inputClass(in Input, extra string) string {
	c := "govuk-input"
	if extra != "" {
		c += " " + extra
	}
	if w := widthClass(in.Width); w != "" {
		c += " " + w
	}
	if in.Error != "" {
		c += " govuk-input--error"
	}
	return c
}

// widthClass maps Input.Width to GOV.UK's width classes; unknown widths are
// ignored rather than turned into class names.
func widthClass(w string) string {
	switch w {
	case "2", "3", "4", "5", "10", "20", "30":
		return "govuk-input--width-" + w
	case "full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter":
		return "govuk-!-width-" + w
	}
	return ""
}

func textareaClass(in Input) string {
	if in.Error != "" {
		return "govuk-textarea govuk-textarea--error"
	}
	return "govuk-textarea"
}

func selectClass(s SelectField) string {
	if s.Error != "" {
		return "govuk-select govuk-select--error"
	}
	return "govuk-select"
}

func selectID(s SelectField) string {
	if s.ID != "" {
		return s.ID
	}
	return s.Name
}

func legendClass(heading bool) string {
	if heading {
		return "govuk-fieldset__legend govuk-fieldset__legend--l"
	}
	return "govuk-fieldset__legend govuk-fieldset__legend--s"
}

// choiceID numbers items the way GOV.UK's macros do: the first item's id is
// the bare name so that an error summary link to #name reaches it.
func choiceID(name string, i int) string {
	if i == 0 {
		return name
	}
	return name + "-" + strconv.Itoa(i+1)
}

func choicesClass(kind string, small, columns bool) string {
	c := "govuk-" + kind
	if small {
		c += " govuk-" + kind + "--small"
	}
	if columns {
		c += " haven-choices--columns"
	}
	return c
}

// textareaRows is a textarea's height in lines: 5 unless set.
func textareaRows(in Input) string {
	if in.Rows > 0 {
		return strconv.Itoa(in.Rows)
	}
	return "5"
}

func dateInputClass(width string, err bool) string {
	c := "govuk-input govuk-date-input__input govuk-input--width-" + width
	if err {
		c += " govuk-input--error"
	}
	return c
}

// Error page wording for the statuses Haven uses, in GOV.UK's plain style.
// Callers may override either part through ErrorInfo.

func errorHeading(e ErrorInfo) string {
	if e.Heading != "" {
		return e.Heading
	}
	switch {
	case e.Status == 404:
		return "Page not found"
	case e.Status == 403:
		return "You cannot see this page"
	case e.Status >= 500 || e.Status == 0:
		return "Sorry, there is a problem with the service"
	}
	return "Sorry, there is a problem"
}

func errorMessage(e ErrorInfo) string {
	if e.Message != "" {
		return e.Message
	}
	switch {
	case e.Status == 404:
		return "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."
	case e.Status == 403:
		return "Your account does not give you access to this page. If you think it should, ask your Designated Safeguarding Lead."
	case e.Status >= 500 || e.Status == 0:
		return "Try again later."
	}
	return "Go back and try again."
}

func sectionLinkText(s HomeSection) string {
	if s.LinkText != "" {
		return s.LinkText
	}
	return s.Title
}
