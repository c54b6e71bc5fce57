package httpserver

import (
	"strconv"
	"strings"
	"time"

	"github.com/havenapp/haven/web"
)

// Form collects a form's validation errors in the order its fields appear,
// in the style of Alex Edwards' validator: Check each rule, then ask Valid.
type Form struct {
	Errors web.Errors
}

// Check records message against field unless ok. A field keeps its first
// message only: GOV.UK shows one message per field.
func (f *Form) Check(ok bool, field, message string) {
	if ok || f.Errors.Get(field) != "" {
		return
	}
	f.Errors = append(f.Errors, web.FieldError{Field: field, Message: message})
}

// Valid reports whether every check passed.
func (f *Form) Valid() bool { return !f.Errors.Any() }

// NotBlank reports whether s holds more than white space.
func NotBlank(s string) bool { return strings.TrimSpace(s) != "" }

// MaxChars reports whether s is at most n characters.
func MaxChars(s string, n int) bool { return len([]rune(s)) <= n }

// ParseDate reads a GOV.UK date input's three parts. ok is false unless
// they make a real calendar date.
func ParseDate(day, month, year string) (time.Time, bool) {
	d, err1 := strconv.Atoi(strings.TrimSpace(day))
	m, err2 := strconv.Atoi(strings.TrimSpace(month))
	y, err3 := strconv.Atoi(strings.TrimSpace(year))
	if err1 != nil || err2 != nil || err3 != nil || y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 February rolls over into March
		return time.Time{}, false
	}
	return t, true
}

// pathID reads a positive integer id from a URL parameter; 0 if it is not one.
func pathID(s string) int64 {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}
