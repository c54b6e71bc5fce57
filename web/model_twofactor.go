package web

import "time"

// Paths of two-factor sign-in's pages.
const (
	TwoFactorPath       = "/account/two-factor"
	TwoFactorQRPath     = "/account/two-factor/qr.png"
	SignInCodePath      = "/sign-in/code"
	SignInRecoveryPath  = "/sign-in/recovery-code"
	twoFactorQRSize     = 200 // the QR code's width and height, in CSS pixels
	recoveryCodesFormat = "xxxx-xxxx-xxxx-xxxx"
)

// SignInCode is the page that asks for the second factor after the
// password: the code from the app, or (Recovery) a recovery code.
type SignInCode struct {
	Recovery bool
	Errors   Errors
}

// TwoFactorEnrolment is the page that sets up an authenticator app.
type TwoFactorEnrolment struct {
	// Required: the person's roles need a second factor, so they can use
	// nothing else until they have one.
	Required bool
	// Secret is the key to type into an app that cannot scan, grouped in
	// fours.
	Secret string
	Errors Errors
}

// TwoFactorStatus is the account page of a person who has a second factor.
type TwoFactorStatus struct {
	EnrolledAt         time.Time
	RecoveryCodesLeft  int
	RecoveryCodesTotal int
}

// RecoveryCodes is the page shown once, as enrolment ends, with the codes
// that sign in when the app is lost.
type RecoveryCodes struct {
	Codes []string
	Next  string // where "I have saved these codes" leads
}
