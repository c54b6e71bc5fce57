package httpserver

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanText is typed text as Haven keeps it. A browser sends UTF-8 and
// never a control character that a keyboard cannot type, so this changes
// nothing a person typed, only what a forged request might carry:
//   - each byte that is not part of valid UTF-8 becomes U+FFFD, as a browser
//     would show it (PostgreSQL refuses text that is not UTF-8);
//   - control characters (U+0000–U+001F, U+007F–U+009F) are dropped, apart
//     from tab, line feed and carriage return: NUL above all, which
//     PostgreSQL text and jsonb cannot hold, and the others because they are
//     invisible and would break exports.
//
// Everything else, bidirectional controls and emoji included, is kept byte
// for byte.
func cleanText(s string) string {
	if isCleanText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // an invalid byte ranges as utf8.RuneError
		if keptRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isCleanText(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !keptRune(r) {
			return false
		}
		i += size
	}
	return true
}

func keptRune(r rune) bool {
	return !unicode.IsControl(r) || r == '\t' || r == '\n' || r == '\r'
}

// postedValues is the form r posts, every value cleaned by cleanText; a
// form too large to read (readForm's limit) gets the error page, and ok is
// false.
func postedValues(w http.ResponseWriter, r *http.Request) (vals url.Values, ok bool) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, http.StatusRequestEntityTooLarge)
		return nil, false
	}
	return cleanValues(r.PostForm), true
}

// cleanValues is vals with every value cleaned by cleanText: vals itself
// when nothing needed cleaning, otherwise a copy.
func cleanValues(vals url.Values) url.Values {
	var out url.Values
	for name, values := range vals {
		for i, v := range values {
			if isCleanText(v) {
				continue
			}
			if out == nil {
				out = make(url.Values, len(vals))
				for n, vs := range vals {
					out[n] = append([]string(nil), vs...)
				}
			}
			out[name][i] = cleanText(v)
		}
	}
	if out == nil {
		return vals
	}
	return out
}
