package safeguarding

import (
	"bytes"
	"encoding/hex"
	"image"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"time"
)

// Marks joined EntryDetails later: an entry without them keeps the hash it
// was written with, and a body map's marks are covered by its hash.
func TestChainHashOfBodyMaps(t *testing.T) {
	at := time.Date(2026, 3, 27, 9, 30, 0, 0, time.UTC)
	e := Entry{SchoolID: 1, ConcernID: 7, Kind: EntryAction, AuthorID: 3, At: at, Body: "Phoned MASH"}
	if got := hex.EncodeToString(ChainHash([]byte{}, e)); got[:8] != "da9662ea" {
		t.Fatalf("hash of an entry without marks = %s…, changed", got[:8])
	}
	m := Entry{SchoolID: 1, ConcernID: 7, Kind: EntryBodyMap, AuthorID: 3, At: at,
		Details: EntryDetails{Marks: []BodyMark{{Side: BodyFront, Region: "left_forearm", X: 150, Y: 190, Description: "Bruise"}}}}
	moved := m
	moved.Details.Marks = []BodyMark{{Side: BodyFront, Region: "left_forearm", X: 151, Y: 190, Description: "Bruise"}}
	if bytes.Equal(ChainHash(nil, m), ChainHash(nil, moved)) {
		t.Error("moving a mark does not change the hash")
	}
}

func TestBodyMapProblems(t *testing.T) {
	now := time.Now()
	mark := BodyMark{Side: BodyBack, Region: "buttocks", X: 100, Y: 215, Description: "Bruise"}
	for _, tc := range []struct {
		name   string
		marks  []BodyMark
		fields string
	}{
		{"OK", []BodyMark{mark}, ""},
		{"ErrNoMark", nil, "region"},
		{"ErrRegionOfTheOtherSide", []BodyMark{{Side: BodyFront, Region: "buttocks", Description: "x"}}, "region"},
		{"ErrNoSuchRegion", []BodyMark{{Side: BodyFront, Region: "tail", Description: "x"}}, "region"},
		{"ErrOffTheOutline", []BodyMark{{Side: BodyFront, Region: "chest", X: 500, Y: 100, Description: "x"}}, "region"},
		{"ErrNoDescription", []BodyMark{{Side: BodyFront, Region: "chest", X: 100, Y: 100, Description: "  "}}, "description"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := EntryInput{Kind: EntryBodyMap, Details: EntryDetails{Marks: tc.marks}}.Problems(now)
			var fields []string
			for f := range p {
				fields = append(fields, f)
			}
			if strings.Join(fields, ",") != tc.fields {
				t.Errorf("problems %v, want on %q", p, tc.fields)
			}
		})
	}
}

// Every region has a key unique on its side, a label, and a shape within
// the outline, whose centre is where a mark chosen from the list goes.
func TestBodyRegions(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range BodyRegions {
		k := string(r.Side) + ":" + r.Key
		if seen[k] || r.Label == "" {
			t.Errorf("region %s repeated or unnamed", k)
		}
		seen[k] = true
		x, y := r.Shape.Centre()
		if x <= 0 || x >= BodyMapWidth || y <= 0 || y >= BodyMapHeight {
			t.Errorf("region %s is centred off the outline at %d, %d", k, x, y)
		}
	}
	if !seen["front:left_forearm"] || !seen["back:buttocks"] || !seen["front:face"] {
		t.Error("a named region is missing")
	}
}

func TestCheckAttachment(t *testing.T) {
	var pngData, jpegData bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegData, img, nil); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\r\n")
	for _, tc := range []struct {
		name, want string
		content    []byte
	}{
		{"PDF", TypePDF, pdf},
		{"PNG", TypePNG, pngData.Bytes()},
		{"JPEG", TypeJPEG, jpegData.Bytes()},
		{"ErrText", "", []byte("hello")},
		{"ErrELF", "", []byte("\x7fELF\x02\x01\x01\x00\x00\x00")},
		{"ErrPE", "", []byte("MZ\x90\x00\x03\x00")},
		{"ErrPDFWithoutEnd", "", pdf[:20]},
		{"ErrPNGCutShort", "", pngData.Bytes()[:pngData.Len()-12]},
		{"ErrJPEGHeaderOnly", "", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}},
		{"ErrEmpty", "", nil},
		{"ErrTooLarge", "", append(append([]byte("%PDF-1.4\n"), make([]byte, MaxAttachmentBytes)...), "%%EOF"...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, problem := CheckAttachment(tc.content)
			if got != tc.want || (tc.want == "") != (problem != "") {
				t.Errorf("CheckAttachment = %q, %q; want %q", got, problem, tc.want)
			}
		})
	}
}

func TestAttachmentFileName(t *testing.T) {
	for _, tc := range []struct{ name, contentType, want string }{
		{"letter.pdf", TypePDF, "letter.pdf"},
		{`C:\Users\dsl\scan 1.JPEG`, TypeJPEG, "scan 1.JPEG"},
		{"../../etc/passwd", TypePDF, "passwd.pdf"},
		{"evil\u202egpj.exe", TypePNG, "evilgpj.exe.png"},
		{"quote\".pdf", TypePDF, "quote.pdf"},
		{"", TypePNG, "attachment.png"},
		{"..", TypePDF, "attachment.pdf"},
	} {
		if got := AttachmentFileName(tc.name, tc.contentType); got != tc.want {
			t.Errorf("AttachmentFileName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
