package filepdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
)

// Text is the text drawn on the pages of a PDF that Write wrote, page by
// page, for checking what an export holds: each page's content stream,
// inflated, with the strings it shows joined by spaces. Only the simple
// PDF that Write draws is understood.
func Text(pdf []byte) ([]string, error) {
	var pages []string
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			break
		}
		content := rest[:j]
		rest = rest[j+len("\nendstream"):]
		if r, err := zlib.NewReader(bytes.NewReader(content)); err == nil {
			inflated, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			content = inflated
		}
		if !bytes.Contains(content, []byte("Tj ET")) {
			continue // a font or an image, not a page
		}
		var shown []string
		for _, m := range shownString.FindAllSubmatch(content, -1) {
			shown = append(shown, unescape(string(m[1])))
		}
		pages = append(pages, strings.Join(shown, " "))
	}
	return pages, nil
}

// shownString is a string a page shows: (…) Tj.
var shownString = regexp.MustCompile(`\(((?:[^()\\]|\\.)*)\) ?Tj`)

func unescape(s string) string {
	return strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`).Replace(s)
}
