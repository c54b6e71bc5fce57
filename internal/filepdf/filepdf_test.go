package filepdf_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/filepdf"
)

// TestWrite: every page carries the marking, the pupil's name and the date
// printed; an entry of a kind the printer does not know prints its heading
// and text all the same.
func TestWrite(t *testing.T) {
	f := filepdf.File{PupilName: "Amira Hussain", Printed: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC),
		Details:  []filepdf.Row{{Key: "Year group", Value: "Year 9"}},
		Concerns: []filepdf.Concern{{Title: "Concern 1", Rows: []filepdf.Row{{Key: "Also about", Value: "another pupil"}}}}}
	for i := range 80 {
		f.Chronology = append(f.Chronology, filepdf.Entry{Heading: "Action taken " + strconv.Itoa(i), Written: "1 May 2026 at 9:00am",
			Author: "Dana Lead", Concern: "Concern 1", Paragraphs: []string{"Spoke to the form tutor."}})
	}
	f.Chronology = append(f.Chronology, filepdf.Entry{Heading: "Body map", Written: "2 May 2026 at 9:00am", Author: "Dana Lead",
		Concern: "Concern 1", Paragraphs: []string{"Bruise on the left forearm."}, Facts: []filepdf.Row{{Key: "Region", Value: "Left forearm"}}})
	var b bytes.Buffer
	if err := filepdf.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	pages, err := filepdf.Text(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want several", len(pages))
	}
	for i, p := range pages {
		for _, want := range []string{filepdf.Marking, "Amira Hussain", "Printed on 3 December 2026"} {
			if !strings.Contains(p, want) {
				t.Errorf("page %d lacks %q", i+1, want)
			}
		}
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Body map", "Bruise on the left forearm.", "Left forearm", "another pupil"} {
		if !strings.Contains(all, want) {
			t.Errorf("the file lacks %q", want)
		}
	}
}

// TestWriteBeyondASCII: curly quotes and accents print as themselves.
func TestWriteBeyondASCII(t *testing.T) {
	f := filepdf.File{PupilName: "Zoë O’Brien", Printed: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	var b bytes.Buffer
	if err := filepdf.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	pages, err := filepdf.Text(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	// Windows-1252: ë is 0xEB, ’ is 0x92.
	if !strings.Contains(pages[0], "Zo\xeb O\x92Brien") {
		t.Errorf("page 1 = %q, want the name in Windows-1252", pages[0])
	}
}
