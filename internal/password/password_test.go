package password

import (
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=4$") {
		t.Errorf("hash %q does not carry the required parameters", h)
	}
	if !Verify("correct horse battery staple", h) {
		t.Error("the right password was refused")
	}
	if Verify("correct horse battery stapLe", h) {
		t.Error("a wrong password was accepted")
	}
	if Verify("anything", "") || Verify("anything", "$argon2id$garbage") {
		t.Error("a malformed hash matched")
	}
	h2, _ := Hash("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password share a salt")
	}
	if NeedsRehash(h) {
		t.Error("a current hash is to be hashed again")
	}
}

// A hash made with one lane (Haven's parameters before it used four) still
// verifies, and is marked for hashing again.
func TestOlderHashesVerifyAndNeedRehash(t *testing.T) {
	const old = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" // key below
	key := b64.EncodeToString(argon2.IDKey([]byte("correct horse battery staple"), []byte("saltsaltsaltsalt"), 2, 19456, 1, 32))
	if !Verify("correct horse battery staple", old+key) {
		t.Error("a one-lane hash no longer verifies")
	}
	if Verify("correct horse battery stapLe", old+key) {
		t.Error("a wrong password matched a one-lane hash")
	}
	if !NeedsRehash(old+key) || !NeedsRehash("") {
		t.Error("a one-lane or empty hash is not marked for hashing again")
	}
}

func TestCheck(t *testing.T) {
	const breached = "This password is in a list of passwords stolen in data breaches. Choose a different one"
	for _, tc := range []struct {
		pw, want string
	}{
		{"short", "Password must be 12 characters or more"},
		{"Password1234", breached},
		{"1qaz2wsx3edc", breached},
		{"LeaveMeAlone", breached},
		// A common password with digits and symbols added is still common.
		{"Password123!", breached},
		{"Summer2024!!", breached},
		{"2024-Summer-2024", breached},
		{"a long enough passphrase", ""},
		{"vivid walrus orchard tango 91", ""},
		{"Qx7$mTz9!pLw", ""},
		// Digits and symbols around three letters are not a common word.
		{"abc-7731-9902!", ""},
		{strings.Repeat("x", 257), "Password must be 256 characters or fewer"},
	} {
		if got := Check(tc.pw); got != tc.want {
			t.Errorf("Check(%q) = %q, want %q", tc.pw, got, tc.want)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	list := commonPasswords()
	if len(list) < 100_000 {
		t.Errorf("%d common passwords are loaded, want at least 100,000", len(list))
	}
	for i, p := range list {
		if p == "" || p != strings.ToLower(p) || (i > 0 && list[i-1] >= p) {
			t.Fatalf("entry %d (%q) is empty, not lower-case, or not after %q: the list must be sorted, distinct and lower-case for the binary search",
				i, p, list[max(i-1, 0)])
		}
	}
	for _, p := range []string{"password", "123456", "summer", "iloveyou", "letmein"} {
		if !listed(p) {
			t.Errorf("%q is not on the list", p)
		}
	}
}
