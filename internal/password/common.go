package password

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// common.txt.gz lists the 100,000 most common passwords of a list compiled
// from breaches, lower-cased, one a line, sorted bytewise; NOTICE says where
// it comes from and under which licences, and common.sh rebuilds it.
//
//go:embed common.txt.gz
var commonGzip []byte

// commonPasswords is the list, decompressed once on first use: about 2 MB,
// searched by binary search.
var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonGzip))
	if err != nil {
		panic("password: common.txt.gz: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("password: common.txt.gz: " + err.Error())
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
})

// minStem is the shortest run of letters that counts as a common password
// when digits and symbols are added around it ("Summer2024!!").
const minStem = 4

// isCommon reports whether plain, ignoring case, is a common password, or
// one with only digits, symbols or spaces before or after it: the first
// guesses anyone makes are "password", then "Password123!", then
// "Summer2024!!".
func isCommon(plain string) bool {
	p := strings.ToLower(plain)
	if listed(p) {
		return true
	}
	stem := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	return stem != p && utf8.RuneCountInString(stem) >= minStem && listed(stem)
}

func listed(p string) bool {
	_, found := slices.BinarySearch(commonPasswords(), p)
	return found
}
