package safeguarding

import "strings"

// Statutory is whether an agency answering a referral will carry out a
// statutory investigation (§11.11–11.12). Entries recorded before it was
// asked have none.
type Statutory string

const (
	StatutoryInvestigation   Statutory = "yes"
	NoStatutoryInvestigation Statutory = "no"
)

// Label is the answer as the chronology shows it.
func (s Statutory) Label() string {
	switch s {
	case StatutoryInvestigation:
		return "The agency will carry out a statutory investigation"
	case NoStatutoryInvestigation:
		return "No statutory investigation"
	}
	return ""
}

// NextStep is what the school does when an agency decides a statutory
// investigation is not appropriate: refer again if the child is still at
// risk (§11.11), or support the child another way (§11.12).
type NextStep string

const (
	NextStepReRefer         NextStep = "re_refer"
	NextStepEarlyHelp       NextStep = "early_help"
	NextStepPastoralSupport NextStep = "pastoral_support"
	NextStepNoFurtherAction NextStep = "no_further_action"
)

// NextSteps are the next steps in the order the form offers them.
var NextSteps = []NextStep{NextStepReRefer, NextStepEarlyHelp, NextStepPastoralSupport, NextStepNoFurtherAction}

// Label is the next step as the form and the chronology name it.
func (n NextStep) Label() string {
	switch n {
	case NextStepReRefer:
		return "Refer again"
	case NextStepEarlyHelp:
		return "Early help"
	case NextStepPastoralSupport:
		return "Pastoral support"
	case NextStepNoFurtherAction:
		return "No further action"
	}
	return string(n)
}

func validNextStep(n NextStep) bool {
	for _, x := range NextSteps {
		if n == x {
			return true
		}
	}
	return false
}

// responseProblems adds to p what is wrong with a response's answer about a
// statutory investigation and the next step it asks for.
func responseProblems(d EntryDetails, p FieldProblems) {
	switch d.Statutory {
	case StatutoryInvestigation:
	case NoStatutoryInvestigation:
		if !validNextStep(d.NextStep) {
			p["next_step"] = "Choose the next step: refer again, early help, pastoral support or no further action"
		}
		if blank(d.NextStepReason) {
			p["next_step_reason"] = "Enter the reason for the next step"
		}
	default:
		p["statutory"] = "Say whether the agency will carry out a statutory investigation"
	}
}

// fitResponse drops a next step from a response that does not ask for one:
// with a statutory investigation, the school waits for it.
func fitResponse(d EntryDetails) EntryDetails {
	if d.Statutory != NoStatutoryInvestigation {
		d.NextStep, d.NextStepReason = "", ""
	}
	return d
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
