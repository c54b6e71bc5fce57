package safeguarding

import "time"

// Changing and resetting passwords. A person who has forgotten theirs asks
// for a link by e-mail; the answer is the same whether or not the address
// has an account, so the page cannot be used to learn who works at a
// school. Changing or resetting a password ends the person's other
// sessions (Viewer.SessionsSince).
const (
	// ResetLinkValidFor is how long an e-mailed reset link works. It works
	// once, and a newer request voids it.
	ResetLinkValidFor = time.Hour
	// ResetRequestsPerHour is how many reset links one account is sent in
	// an hour at most: asking again and again cannot fill a mailbox.
	ResetRequestsPerHour = 3
)

// ErrResetLinkInvalid is the answer to a reset link that is wrong, used,
// replaced by a newer one or out of date.
var ErrResetLinkInvalid = Errorf(ENOTFOUND, "This link has expired or has already been used")

// ErrWrongCurrentPassword is the refusal of a password change whose
// current password is wrong; it counts as a failed sign-in.
var ErrWrongCurrentPassword = Errorf(EUNAUTHORIZED, "Your current password is not correct")
