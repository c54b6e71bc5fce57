package password

import (
	_ "embed"
	"strings"
	"sync"
)

// breached.txt lists passwords known from breach corpora, one a line,
// lower-cased; only those of MinLength or more matter, since shorter ones
// are refused anyway.
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
