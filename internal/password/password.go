// Package password hashes and verifies passwords with argon2id, in the PHC
// string format, with parameters at or above OWASP ASVS 5 V11.4.2
// (19 MiB of memory, 2 passes).
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
	parallelism = 1
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
// request. Half the cores at most: a computation takes ~50 ms of one core,
// and a burst of sign-ins must not stall every page behind it.
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

// verify does one argon2id computation; Verify holds the semaphore.
func verify(plain, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("parse parameters: %w", err)
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("decode salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("decode key: %w", err)
	}
	got := argon2.IDKey([]byte(plain), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
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
		return "This password is in a list of passwords stolen in data breaches. Choose a different one"
	}
	return ""
}
