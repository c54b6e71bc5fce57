package httpserver

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/havenapp/haven/web"
)

// isUnavailable reports whether err means the database could not be
// reached or went away mid-request, rather than a fault in Haven.
func isUnavailable(err error) bool {
	var connectErr *pgconn.ConnectError
	var pgErr *pgconn.PgError
	var netErr net.Error
	switch {
	case err == nil:
		return false
	case errors.As(err, &connectErr), errors.As(err, &netErr), pgconn.Timeout(err),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exception; class 57: operator intervention
		// (the server is shutting down or starting up).
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57")
	}
	return strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "closed pool")
}

// notRetried are posts whose values must not be carried back: a password
// or a one-time code never travels back to the browser.
var notRetried = []string{"/sign-in", "/sign-out", web.SignInCodePath, web.SignInRecoveryPath, web.TwoFactorPath}

// hiddenFields are posted fields that mean nothing to the person who typed
// the form, so the page does not list them.
var hiddenFields = []string{"token", "author", "action", "kind", "corrects"}

// retryFormFor is the form of a failed POST, to be carried back whole.
func retryFormFor(r *http.Request, status int) (web.RetryForm, bool) {
	if r.Method != http.MethodPost || slices.Contains(notRetried, r.URL.Path) {
		return web.RetryForm{}, false
	}
	if len(r.PostForm) == 0 { // readForm parsed it before anything else ran
		return web.RetryForm{}, false
	}
	rf := web.RetryForm{Heading: "Sorry, this could not be saved", Action: r.URL.Path,
		Message: "Haven could not save what you entered just now. Nothing has been lost: it is all kept on this page. Press \u201cTry again\u201d in a minute."}
	if status == http.StatusServiceUnavailable {
		rf.Message = "Haven cannot reach its database just now, so what you entered has not been saved yet. Nothing has been lost: it is all kept on this page. Press \u201cTry again\u201d in a minute."
	}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, value := range r.PostForm[name] {
			rf.Fields = append(rf.Fields, web.FormField{Name: name, Value: value})
			if strings.TrimSpace(value) != "" && !slices.Contains(hiddenFields, name) {
				rf.Typed = append(rf.Typed, web.SummaryRow{Key: fieldLabel(name), Value: value})
			}
		}
	}
	return rf, true
}

// fieldLabel turns a form field's name ("what-happened") into words.
func fieldLabel(name string) string {
	words := strings.NewReplacer("-", " ", "_", " ").Replace(name)
	first, size := utf8.DecodeRuneInString(words)
	if size == 0 {
		return name
	}
	return string(unicode.ToUpper(first)) + words[size:]
}

// maxFormBytes bounds any posted form: far more than anyone types.
const maxFormBytes = 512 << 10

// readForm parses a posted form before anything else reads the request, so
// that every copy of the request (each middleware makes one) shares it, and
// a fault anywhere can carry it back to the browser.
func readForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			limit := int64(maxFormBytes)
			if r.URL.Path == web.SettingsImportPath || r.URL.Path == web.SettingsImportPreviewPath {
				// A roster file is posted whole (roster_import.go).
				limit = maxImportBytes
			}
			if isAttachmentPost(r.URL.Path) {
				// A file kept with a concern, read part by part (attachment.go).
				limit = maxAttachmentPost
			}
			if r.URL.Path == web.TransferImportPath {
				// A transferred file's bundle (transfer.go).
				limit = maxBundleBytes + 64<<10
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := r.ParseForm(); err != nil {
				renderError(w, r, http.StatusRequestEntityTooLarge)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sealableWriter drops everything written after it is sealed.
type sealableWriter struct {
	http.ResponseWriter
	sealed bool
}

func (w *sealableWriter) WriteHeader(status int) {
	if !w.sealed {
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *sealableWriter) Write(b []byte) (int, error) {
	if w.sealed {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *sealableWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func sealable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&sealableWriter{ResponseWriter: w}, r)
	})
}
