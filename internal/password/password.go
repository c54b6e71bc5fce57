// Package password hashes and verifies passwords with argon2id, in the PHC
// string format, with parameters at or above OWASP ASVS 5 V11.4.2
// (19 MiB of memory, 2 passes).
//
// The 19 MiB are split into 4 lanes (RFC 9106's recommended p=4), which
// Go's argon2 computes in parallel: the same work for an attacker per
// guess, but a sign-in waits less on a machine with two cores or more.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

const (
	memoryKiB   = 19 * 1024
	iterations  = 2
	parallelism = 4
	saltLen     = 16
	keyLen      = 32

	// MinLength is the shortest password Haven accepts (no composition rules).
	MinLength = 12
	// MaxLength bounds the work an attacker can make argon2 do per attempt.
	MaxLength = 256
)

var b64 = base64.RawStdEncoding

// Hash returns the PHC-format argon2id hash of plain.
func Hash(plain string) (string, error) {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(plain), salt, iterations, memoryKiB, parallelism, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memoryKiB, iterations, parallelism, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummy is verified against when an account does not exist, so that a wrong
// e-mail takes as long as a wrong password.
var dummy = mustHash("haven-dummy-password-for-timing")

func mustHash(s string) string {
	h, err := Hash(s)
	if err != nil {
		panic(err)
	}
	return h
}

// hashing bounds how many argon2id computations run at once: each holds
// 19 MiB, so a burst of sign-ins would otherwise grow the heap by 19 MiB a
// request. Half the cores at most: a computation is slow by design, and a
// burst of sign-ins must not stall every page behind it.
var hashing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))

// Verify reports whether plain matches encoded. An empty or malformed
// encoded hash never matches but costs the same time as a real one.
func Verify(plain, encoded string) bool {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	ok, err := verify(plain, encoded)
	if err != nil {
		verify(plain, dummy)
		return false
	}
	return ok
}

// NeedsRehash reports whether encoded was made with parameters other than
// Hash's own (an older hash, or a malformed one): after a successful
// sign-in, the password is then hashed again and stored.
func NeedsRehash(encoded string) bool {
	h, err := parse(encoded)
	return err != nil || h.m != memoryKiB || h.t != iterations || h.p != parallelism
}

// verify does one argon2id computation; Verify holds the semaphore.
func verify(plain, encoded string) (bool, error) {
	h, err := parse(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(plain), h.salt, h.t, h.m, h.p, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(got, h.key) == 1, nil
}

// phc is a parsed argon2id hash.
type phc struct {
	m, t      uint32
	p         uint8
	salt, key []byte
}

func parse(encoded string) (phc, error) {
	var h phc
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return h, errors.New("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return h, errors.New("unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.m, &h.t, &h.p); err != nil {
		return h, fmt.Errorf("parse parameters: %w", err)
	}
	var err error
	if h.salt, err = b64.DecodeString(parts[4]); err != nil {
		return h, fmt.Errorf("decode salt: %w", err)
	}
	if h.key, err = b64.DecodeString(parts[5]); err != nil {
		return h, fmt.Errorf("decode key: %w", err)
	}
	return h, nil
}

// Check returns a message saying why plain is not acceptable as a new
// password, or "" if it is.
func Check(plain string) string {
	n := utf8.RuneCountInString(plain)
	switch {
	case n < MinLength:
		return fmt.Sprintf("Password must be %d characters or more", MinLength)
	case n > MaxLength:
		return fmt.Sprintf("Password must be %d characters or fewer", MaxLength)
	case isCommon(plain):
		return breachedMessage
	}
	return ""
}

// breachedMessage is what Check says of a common or breached password.
const breachedMessage = "This password is in a list of passwords stolen in data breaches. Choose a different one"
