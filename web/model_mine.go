package web

// MyConcernsPage lists the concerns the signed-in person logged, newest first.
type MyConcernsPage struct {
	Concerns  []MyConcern
	NextHref  string // the next (older) page; "" on the last
	FirstHref string // back to the newest; "" on the first page
}

// MyConcern is one concern in the referrer's own list.
type MyConcern struct {
	Concern       ConcernLink
	Subject       []SubjectName
	Categories    string
	LoggedAt      string
	Status        StatusTag
	FeedbackGiven bool
}
