package password

import (
	_ "embed"
	"strings"
	"sync"
)

// breached.txt lists passwords known from breach corpora, one a line,
// lower-cased; only those of MinLength or more matter, since shorter ones
// are refused anyway. They are the 12-character-or-longer entries of the
// 49,233 most common passwords that the npm package @zxcvbn-ts/language-common
// 4.1.3 ships (MIT licence), with a few seed entries of Haven's own.
//
//go:embed breached.txt
var breachedList string

var breached = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{})
	for line := range strings.Lines(breachedList) {
		if w := strings.TrimSpace(line); len(w) >= MinLength {
			set[w] = struct{}{}
		}
	}
	return set
})

func isCommon(plain string) bool {
	_, ok := breached()[strings.ToLower(plain)]
	return ok
}
