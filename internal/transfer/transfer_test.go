package transfer_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
)

func keys(t *testing.T) transfer.Keys {
	t.Helper()
	k, err := transfer.NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealAndOpen(t *testing.T) {
	sender, receiver := keys(t), keys(t)
	b := safeguarding.TransferBundle{Version: safeguarding.BundleVersion, BundleID: "b-1", FromSchool: "Riverside Academy",
		ToRecipient: receiver.AgeRecipient, Pupil: safeguarding.BundlePupil{FirstName: "Ruby", LastName: "Okafor", DateOfBirth: "2010-05-14"}}
	sealed, err := transfer.Seal(b, sender, receiver.AgeRecipient)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, signed, err := transfer.Open(sealed, receiver.AgeIdentity, sender.SigningPublic, receiver.AgeRecipient)
		if err != nil || got.Pupil.LastName != "Okafor" || len(signed.Bundle) == 0 || !transfer.CheckSigned(signed, sender.SigningPublic) || transfer.CheckSigned(signed, receiver.SigningPublic) {
			t.Fatalf("open: %+v, %v", got, err)
		}
		// What is kept is checked again as it was on import: a byte
		// changed in the bundle or the signature fails.
		edited := transfer.Signed{Bundle: []byte(strings.Replace(string(signed.Bundle), "Okafor", "Okafor ", 1)), Signature: signed.Signature}
		if transfer.CheckSigned(edited, sender.SigningPublic) {
			t.Error("an edited signed bundle checks")
		}
		sig := append([]byte(nil), signed.Signature...)
		sig[0] ^= 1
		if transfer.CheckSigned(transfer.Signed{Bundle: signed.Bundle, Signature: sig}, sender.SigningPublic) {
			t.Error("an edited signature checks")
		}
	})
	t.Run("ErrNotForThisSchool", func(t *testing.T) {
		other := keys(t)
		if _, _, err := transfer.Open(sealed, other.AgeIdentity, sender.SigningPublic, other.AgeRecipient); !errors.Is(err, transfer.ErrNotForThisSchool) {
			t.Errorf("opened by another school: %v", err)
		}
		// Signed for the receiver, re-encrypted to another school.
		resealed, _ := transfer.Seal(b, sender, other.AgeRecipient)
		if _, _, err := transfer.Open(resealed, other.AgeIdentity, sender.SigningPublic, other.AgeRecipient); !errors.Is(err, transfer.ErrNotForThisSchool) {
			t.Errorf("a bundle made for another school: %v", err)
		}
	})
	t.Run("ErrWrongSigner", func(t *testing.T) {
		if _, _, err := transfer.Open(sealed, receiver.AgeIdentity, keys(t).SigningPublic, receiver.AgeRecipient); !errors.Is(err, transfer.ErrWrongSigner) {
			t.Errorf("another sender key: %v", err)
		}
	})
	t.Run("ErrDamaged", func(t *testing.T) {
		for _, data := range [][]byte{[]byte("not a bundle"), sealed[:len(sealed)/2]} {
			if _, _, err := transfer.Open(data, receiver.AgeIdentity, sender.SigningPublic, receiver.AgeRecipient); !errors.Is(err, transfer.ErrDamaged) {
				t.Errorf("%.20q: %v", data, err)
			}
		}
	})
	t.Run("ErrVersion", func(t *testing.T) {
		later := b
		later.Version = 99
		sealed, _ := transfer.Seal(later, sender, receiver.AgeRecipient)
		if _, _, err := transfer.Open(sealed, receiver.AgeIdentity, sender.SigningPublic, receiver.AgeRecipient); !errors.Is(err, transfer.ErrVersion) {
			t.Errorf("version 99: %v", err)
		}
	})
}

func TestReceipt(t *testing.T) {
	k := keys(t)
	text, err := transfer.SignReceipt(transfer.Receipt{BundleID: "b-1", ReceiptNonce: "n", School: "Hilltop School", ConfirmedAt: time.Now()}, k)
	if err != nil {
		t.Fatal(err)
	}
	r, key, err := transfer.ReadReceipt(" " + text[:30] + "\n" + text[30:] + " ") // as pasted, wrapped
	if err != nil || r.BundleID != "b-1" || r.School != "Hilltop School" || !key.Equal(k.SigningPublic) {
		t.Fatalf("read %+v, %v", r, err)
	}
	dot := strings.LastIndex(text, ".")
	forged := strings.Replace(text[:dot], text[17:20], "AAA", 1) + text[dot:]
	if _, _, err := transfer.ReadReceipt(forged); !errors.Is(err, transfer.ErrReceipt) {
		t.Errorf("a changed receipt: %v", err)
	}
}

func TestKeysAsText(t *testing.T) {
	k := keys(t)
	text := transfer.SigningKeyText(k.SigningPublic)
	if got, err := transfer.ParseSigningKey(" " + text + " "); err != nil || !got.Equal(k.SigningPublic) {
		t.Errorf("parse %q: %v", text, err)
	}
	for _, bad := range []string{"", "ed25519:abc", "haven-ed25519:abc"} {
		if _, err := transfer.ParseSigningKey(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	if p := transfer.Fingerprint(text); len(strings.Fields(p)) != 5 || p == transfer.Fingerprint(k.AgeRecipient) {
		t.Errorf("fingerprint %q", p)
	}
}
