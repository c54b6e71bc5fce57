// Package twofactor is Haven's second factor: time-based one-time codes
// (TOTP, RFC 6238) made and checked with github.com/pquerna/otp, the QR code
// an authenticator app scans, and the one-time recovery codes for when the
// app is lost. It holds no state: the store keeps the secrets and the last
// step each person used.
package twofactor

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

const (
	// Issuer names Haven in the person's authenticator app.
	Issuer = "Haven"
	// Period is how long each code lasts: the apps' default.
	Period = 30 * time.Second
	// Skew is how many steps either side of now a code may belong to, for
	// a phone's clock a little out and the time it takes to type.
	Skew = 1
	// Digits is the length of a code.
	Digits = 6
	// RecoveryCodes is how many recovery codes an enrolment gives.
	RecoveryCodes = 10
)

var opts = totp.ValidateOpts{Period: uint(Period / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewSecret returns a new random secret of 160 bits (RFC 4226's advice),
// in unpadded base32 as authenticator apps take it.
func NewSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// Step is the time step t falls in.
func Step(t time.Time) int64 { return t.Unix() / int64(Period/time.Second) }

// Code is the code for secret at step.
func Code(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*int64(Period/time.Second), 0), opts)
}

// Match finds the step within Skew of now whose code is code, and which is
// later than after (the last step the person used: a code works once). It
// reports false for a wrong code, one already used, or a malformed one.
func Match(secret, code string, now time.Time, after int64) (step int64, ok bool) {
	code = NormaliseCode(code)
	if len(code) != Digits {
		return 0, false
	}
	found := false
	for s := Step(now) - Skew; s <= Step(now)+Skew; s++ {
		want, err := Code(secret, s)
		if err != nil {
			return 0, false
		}
		// Every step is checked, matched or not, so the time taken says
		// nothing about which matched.
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && s > after && !found {
			step, found = s, true
		}
	}
	return step, found
}

// NormaliseCode drops the spaces and hyphens some apps show inside a code.
func NormaliseCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}

// KeyURL is the otpauth:// address a QR code carries to the app: the
// secret, and the person's e-mail address so they can tell their accounts
// apart.
func KeyURL(secret, account string) string {
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", Issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(Digits))
	q.Set("period", fmt.Sprint(int(Period/time.Second)))
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + Issuer + ":" + account, RawQuery: q.Encode()}
	return u.String()
}

// QRCode draws KeyURL as a PNG of size × size pixels, on the server: no
// outside service ever sees the secret.
func QRCode(secret, account string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(KeyURL(secret, account))
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("QR code: %w", err)
	}
	return buf.Bytes(), nil
}

// GroupForTyping shows a secret in groups of four characters, for a person
// typing it into an app that cannot scan.
func GroupForTyping(secret string) string {
	var groups []string
	for len(secret) > 4 {
		groups = append(groups, secret[:4])
		secret = secret[4:]
	}
	return strings.Join(append(groups, secret), " ")
}

// NewRecoveryCodes returns RecoveryCodes new codes of 80 random bits each,
// written as four groups of four lower-case letters and digits.
func NewRecoveryCodes() []string {
	codes := make([]string, RecoveryCodes)
	for i := range codes {
		raw := strings.ToLower(rand.Text()[:16])
		codes[i] = raw[:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:]
	}
	return codes
}

// HashRecoveryCode is what is stored of a recovery code, however it was
// typed (any case, with or without spaces and hyphens). A code of 80
// random bits needs no slow hash.
func HashRecoveryCode(code string) []byte {
	h := sha256.Sum256([]byte(strings.ToLower(NormaliseCode(code))))
	return h[:]
}
