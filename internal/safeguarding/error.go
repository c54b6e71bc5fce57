// Package safeguarding is Haven's domain: the people and roles of a school,
// concerns and their chronology, and the rule that decides who may see what.
// It does no I/O; the postgres and httpserver packages depend on it, never
// the other way round.
package safeguarding

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to a status in one place; ENOTFOUND
// and EFORBIDDEN both become 404 so that a record's existence is never
// revealed to someone who may not see it.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EINTERNAL     = "internal"
)

// Error is a domain error with a code and a message safe to show a user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("safeguarding error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of err, or a generic one for
// an internal error, whose details must never reach a browser.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Sorry, there is a problem with the service."
}
