package web

// MoveConcern is the form that moves a concern to the subject it is really
// about, as typed, with what it offers.
type MoveConcern struct {
	Reference string // the concern's number
	Action    string // where the form posts
	Back      string // the concern's page
	Errors    Errors

	Subject   string // "principal", "staff", "other_adult" or "pupils"
	Person    string // a member of staff's person id
	AdultName string
	AdultRole string
	Reason    string

	Staff []StaffChoice
	// PrincipalOffered: the school has a principal the mover may choose;
	// ChildrenOffered: children are linked to a concern about an adult.
	PrincipalOffered, ChildrenOffered bool
	// WhoSees says, for each answer, who will see the concern after the move.
	WhoSees map[string]string
}

func (m MoveConcern) staffOptions() []Option { return staffOptions(m.Staff, m.Person) }
