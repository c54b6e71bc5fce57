package web

import (
	"strings"
	"testing"
)

// The received file's page says the signature was checked, shows the key's
// fingerprint, and says whether the signed bundle is kept: a file imported
// before Haven kept it reads as not kept.
func TestReceivedFilePageSignature(t *testing.T) {
	v := ReceivedFileView{Name: "Ruby Okafor", FromSchool: "Riverside Academy", SenderPrint: "1a2b 3c4d 5e6f 7a8b 9c0d", SignedKept: true}
	for _, c := range []struct {
		kept bool
		want string
	}{{true, "Kept as it was signed"}, {false, "Not kept: the file was imported before Haven kept signed bundles"}} {
		v.SignedKept = c.kept
		html := render(t, ReceivedFilePage(Page{}, v))
		for _, want := range []string{"Checked when the file was imported", "1a2b 3c4d 5e6f 7a8b 9c0d", c.want} {
			if !strings.Contains(html, want) {
				t.Errorf("kept %v: the page does not say %q", c.kept, want)
			}
		}
	}
}
