// Package transfer seals a child's file for another school and opens one
// sent to this school: signed with the sending school's Ed25519 key and
// encrypted to the receiving school's age (X25519) key, in the format
// docs/transfer-bundle.md describes. It also signs and reads the receipt
// the receiving school gives back.
package transfer

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Refusal is why a key, bundle or receipt is refused, worded for the DSL
// who gave it.
type Refusal string

func (r Refusal) Error() string { return string(r) }

// Keys are a school's transfer keys.
type Keys struct {
	SigningPublic ed25519.PublicKey
	SigningSeed   []byte // the private key's 32-byte seed
	AgeRecipient  string // "age1…", given to schools that send files here
	AgeIdentity   string // "AGE-SECRET-KEY-1…", opens them
}

// NewKeys makes a school's keys.
func NewKeys() (Keys, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Keys{}, err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return Keys{}, err
	}
	return Keys{SigningPublic: pub, SigningSeed: priv.Seed(), AgeRecipient: id.Recipient().String(), AgeIdentity: id.String()}, nil
}

func (k Keys) signer() ed25519.PrivateKey { return ed25519.NewKeyFromSeed(k.SigningSeed) }

// signingKeyPrefix marks a signing key as people copy it.
const signingKeyPrefix = "haven-ed25519:"

// SigningKeyText is an Ed25519 public key as people copy it.
func SigningKeyText(pub ed25519.PublicKey) string {
	return signingKeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParseSigningKey reads a signing key as SigningKeyText writes it.
func ParseSigningKey(s string) (ed25519.PublicKey, error) {
	s = strings.Join(strings.Fields(s), "")
	raw, ok := strings.CutPrefix(s, signingKeyPrefix)
	if !ok {
		return nil, Refusal("Enter the sending school's signing key, starting haven-ed25519:")
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, Refusal("The signing key is not complete: copy all of it, from haven-ed25519: to the end")
	}
	return ed25519.PublicKey(b), nil
}

// ParseRecipient checks an age public key as people copy it.
func ParseRecipient(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Refusal("Enter the receiving school's transfer key, starting age1")
	}
	if _, err := age.ParseX25519Recipient(s); err != nil {
		return "", Refusal("The transfer key is not complete or not an age key: copy all of it, starting age1")
	}
	return s, nil
}

// Fingerprint is a short form of a key for two DSLs to read to each other
// over the phone: the first 80 bits of its SHA-256, in five groups of four.
func Fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:10])
	var groups []string
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	return strings.Join(groups, " ")
}

// The signed envelope inside the encryption (docs/transfer-bundle.md).
const (
	envelopeFormat = "haven-transfer-bundle"
	// signedContext begins every signed message, so a signature over a
	// bundle can never be taken for one over anything else.
	signedContext = "haven-transfer-bundle-v1\n"
)

type envelope struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	SigningKey string `json:"signing_key"`
	Bundle     []byte `json:"bundle"`    // the bundle's JSON, base64
	Signature  []byte `json:"signature"` // Ed25519 over signedContext + Bundle, base64
}

// Seal makes the file a school sends: b signed with keys and encrypted to
// recipient, ASCII-armored.
func Seal(b safeguarding.TransferBundle, keys Keys, recipient string) ([]byte, error) {
	payload, err := json.Marshal(b)
	if err != nil {
		return nil, err
	}
	env := envelope{Format: envelopeFormat, Version: b.Version, SigningKey: SigningKeyText(keys.SigningPublic), Bundle: payload,
		Signature: ed25519.Sign(keys.signer(), append([]byte(signedContext), payload...))}
	plain, err := json.Marshal(env)
	if err != nil {
		return nil, err
	}
	to, err := age.ParseX25519Recipient(recipient)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	aw := armor.NewWriter(&out)
	w, err := age.Encrypt(aw, to)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Why a bundle is refused. Each is worded for the DSL who uploaded it.
var (
	ErrNotForThisSchool = Refusal("This file was encrypted for another school's transfer key, not this school's. Ask the sending school to make it again with the key on your Transfer keys page.")
	ErrDamaged          = Refusal("This file is damaged or was changed after it was made, or is not a transfer bundle. Ask the sending school for it again.")
	ErrWrongSigner      = Refusal("This file was not signed by the signing key you gave: another key signed it, or it was changed after it was signed. Check the key with the sending school's DSL by phone.")
	ErrVersion          = Refusal("This file is in a format version this Haven does not read. Update Haven, or ask the sending school to make it again.")
)

// maxBundle bounds what Open reads: a file of many years is well under it.
const maxBundle = 50 << 20

// Signed is a bundle as its sender signed it: the bundle's JSON, byte for
// byte, and the Ed25519 signature over it. The receiving school keeps it
// so that the signature can be checked again at any time (CheckSigned)
// without the encrypted file, which only it could open.
type Signed struct {
	Bundle    []byte
	Signature []byte
}

// CheckSigned reports whether s was signed by sender: the same check Open
// makes, for a bundle kept since.
func CheckSigned(s Signed, sender ed25519.PublicKey) bool {
	return len(sender) == ed25519.PublicKeySize &&
		ed25519.Verify(sender, append([]byte(signedContext), s.Bundle...), s.Signature)
}

// Open decrypts data with identity, checks it was signed by sender, that
// its version is one Haven reads and that it was made for ownRecipient,
// and returns the bundle and what was signed. Any failure is one of the
// errors above and nothing of the bundle is returned.
func Open(data []byte, identity string, sender ed25519.PublicKey, ownRecipient string) (safeguarding.TransferBundle, Signed, error) {
	var b safeguarding.TransferBundle
	id, err := age.ParseX25519Identity(identity)
	if err != nil {
		return b, Signed{}, fmt.Errorf("the school's age identity: %w", err)
	}
	var in io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte(armor.Header)) {
		in = armor.NewReader(bytes.NewReader(bytes.TrimSpace(data)))
	}
	r, err := age.Decrypt(in, id)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		if errors.As(err, &noMatch) {
			return b, Signed{}, ErrNotForThisSchool
		}
		return b, Signed{}, ErrDamaged
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxBundle))
	if err != nil {
		return b, Signed{}, ErrDamaged // age checks each chunk as it reads
	}
	var env envelope
	if err := json.Unmarshal(plain, &env); err != nil || env.Format != envelopeFormat {
		return b, Signed{}, ErrDamaged
	}
	signed := Signed{Bundle: env.Bundle, Signature: env.Signature}
	if !CheckSigned(signed, sender) {
		return b, Signed{}, ErrWrongSigner
	}
	if !slices.Contains(safeguarding.ReadableBundleVersions, env.Version) {
		return b, Signed{}, ErrVersion
	}
	if err := json.Unmarshal(env.Bundle, &b); err != nil || b.Version != env.Version {
		return safeguarding.TransferBundle{}, Signed{}, ErrDamaged
	}
	if b.ToRecipient != ownRecipient {
		// Signed for another school and re-encrypted to this one.
		return safeguarding.TransferBundle{}, Signed{}, ErrNotForThisSchool
	}
	return b, signed, nil
}

// NewNonce is a bundle's receipt nonce.
func NewNonce() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Receipt is what the receiving school signs when its DSL confirms that
// a file arrived (docs/transfer-bundle.md).
type Receipt struct {
	Format       string    `json:"format"` // "haven-transfer-receipt"
	Version      int       `json:"version"`
	BundleID     string    `json:"bundle_id"`
	ReceiptNonce string    `json:"receipt_nonce"`
	School       string    `json:"school"`      // the receiving school
	SigningKey   string    `json:"signing_key"` // its signing key
	ConfirmedAt  time.Time `json:"confirmed_at"`
}

const (
	receiptFormat  = "haven-transfer-receipt"
	receiptPrefix  = "HAVEN-RECEIPT-1."
	receiptContext = "haven-transfer-receipt-v1\n"
)

// SignReceipt is the receipt as text to copy: its JSON and signature.
func SignReceipt(r Receipt, keys Keys) (string, error) {
	r.Format, r.Version, r.SigningKey = receiptFormat, 1, SigningKeyText(keys.SigningPublic)
	payload, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(keys.signer(), append([]byte(receiptContext), payload...))
	return receiptPrefix + base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// ErrReceipt is a receipt that does not read or whose signature fails.
var ErrReceipt = Refusal("This is not a receipt Haven can read: copy all of it, from HAVEN-RECEIPT-1. to the end.")

// ReadReceipt reads a receipt and checks it was signed by the key it
// names; the caller checks it answers a bundle it sent (its nonce).
func ReadReceipt(text string) (Receipt, ed25519.PublicKey, error) {
	var r Receipt
	text = strings.Join(strings.Fields(text), "")
	rest, ok := strings.CutPrefix(text, receiptPrefix)
	if !ok {
		return r, nil, ErrReceipt
	}
	p, s, ok := strings.Cut(rest, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	sig, err2 := base64.RawURLEncoding.DecodeString(s)
	if !ok || err1 != nil || err2 != nil || json.Unmarshal(payload, &r) != nil || r.Format != receiptFormat || r.Version != 1 {
		return Receipt{}, nil, ErrReceipt
	}
	key, err := ParseSigningKey(r.SigningKey)
	if err != nil || !ed25519.Verify(key, append([]byte(receiptContext), payload...), sig) {
		return Receipt{}, nil, ErrReceipt
	}
	return r, key, nil
}

// Kept is a received file as the receiving school keeps it: the signed
// bundle and signature, the key it was checked against on import, and
// what the school reads of it (the contents and the columns taken from
// them).
type Kept struct {
	Signed     Signed
	SenderKey  ed25519.PublicKey
	Contents   []byte // the contents as JSON, however the database spells it
	BundleID   string
	FromSchool string
	Version    int
}

// CheckKept says what is wrong with a kept received file, or "" if its
// signature still checks against the key kept with it and its contents
// and the columns read from them are what the signed bundle says. The
// contents are compared as JSON values, since the database keeps them
// as jsonb, which does not keep the signed bytes' spacing or key order.
func CheckKept(k Kept) string {
	if !CheckSigned(k.Signed, k.SenderKey) {
		return "its signature does not check against the sender key kept with it: the signed bundle, the signature or the key was changed after import"
	}
	var signed, kept any
	if err := unmarshalExact(k.Signed.Bundle, &signed); err != nil {
		return "its signed bundle is not JSON"
	}
	if err := unmarshalExact(k.Contents, &kept); err != nil || !reflect.DeepEqual(signed, kept) {
		return "its contents are not what the signed bundle says: they were changed after import"
	}
	var b safeguarding.TransferBundle
	if err := json.Unmarshal(k.Signed.Bundle, &b); err != nil {
		return "its signed bundle is not a transfer bundle"
	}
	if !strings.EqualFold(b.BundleID, k.BundleID) || b.FromSchool != k.FromSchool || b.Version != k.Version {
		return "its bundle id, sending school or version is not what the signed bundle says: they were changed after import"
	}
	return ""
}

// unmarshalExact decodes JSON keeping numbers as written, so that no two
// different numbers compare equal.
func unmarshalExact(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}
