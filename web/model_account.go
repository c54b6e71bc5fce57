package web

// The pages of a person's own account, and of a forgotten password.
const (
	AccountPath           = "/account"
	ChangePasswordPath    = "/account/password"
	ForgottenPasswordPath = "/password/forgotten"
	// ResetLinkSentPath is the answer to every request for a reset link,
	// whether or not the address has an account.
	ResetLinkSentPath = "/password/forgotten/sent"
)

// Account is the signed-in person's own page.
type Account struct {
	Name, Email, School string
	Roles               []string // each role's name, e.g. "Designated Safeguarding Lead"
	Notice              string   // a success banner, e.g. after changing the password
}

// ChangePasswordForm is the change-password page's state. It has no
// values: a password is never sent back to the browser.
type ChangePasswordForm struct {
	Errors Errors
}

// ForgottenPasswordForm asks for the e-mail address of an account whose
// password is forgotten.
type ForgottenPasswordForm struct {
	Email  string
	Errors Errors
}

// ResetPasswordForm is the page an e-mailed reset link opens.
type ResetPasswordForm struct {
	Valid  bool   // the link can still be used
	Action string // where the form posts: the link itself
	Errors Errors
}
