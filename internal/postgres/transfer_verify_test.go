package postgres_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/transfer"
)

// A received file keeps the bundle as signed, the app may never change or
// remove it, and VerifyReceivedFiles catches an edited contents row, an
// edited signed bundle and a different sender key, each on its own, and
// passes once each is put back. A file imported before the signed bundle
// was kept is reported as not kept, not as broken.
func TestVerifyReceivedFiles(t *testing.T) {
	s := newSmallSchool(t)
	ctx := t.Context()
	db := s.db.WithClock(transferClock)
	leaver(t, s, db)
	school2, dsl2, _ := secondSchool(t, s.testDB, "Hilltop School")
	keys1, _, err := db.TransferKeys(ctx, s.dsl)
	if err != nil {
		t.Fatal(err)
	}
	keys2, _, err := db.TransferKeys(ctx, dsl2)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.ImportTransferBundle(ctx, dsl2, export(t, db, s, keys2.AgeRecipient), keys1.SigningPublic)
	if err != nil {
		t.Fatal(err)
	}
	f, err := db.ReceivedFile(ctx, dsl2, id)
	if err != nil || !f.SignedKept {
		t.Fatalf("the imported file: kept %v, %v; want its signed bundle kept", f.SignedKept, err)
	}
	var signed, sig []byte
	if err := s.owner.QueryRow(ctx, `SELECT signed_bundle, signature FROM received_files WHERE id = $1`, id).Scan(&signed, &sig); err != nil {
		t.Fatal(err)
	}
	if !transfer.CheckSigned(transfer.Signed{Bundle: signed, Signature: sig}, keys1.SigningPublic) {
		t.Fatal("the kept signed bundle does not check against the sender's key")
	}

	t.Run("AppendOnly", func(t *testing.T) {
		for _, q := range []string{
			`UPDATE received_files SET signed_bundle = signed_bundle || 'x'::bytea`,
			`UPDATE received_files SET signature = NULL, signed_bundle = NULL`,
			`UPDATE received_files SET sender_key = $1`,
			`DELETE FROM received_files`,
		} {
			err := asViewerTx(t, s.db, dsl2, func(tx pgx.Tx) error {
				var args []any
				if strings.Contains(q, "$1") {
					args = append(args, []byte(keys2.SigningPublic))
				}
				_, err := tx.Exec(ctx, q, args...)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "permission denied") {
				t.Errorf("the app, as the DSL, may %s: %v", q, err)
			}
		}
	})

	verify := func(t *testing.T) []postgres.ReceivedBreak {
		t.Helper()
		checked, notKept, breaks, err := postgres.VerifyReceivedFiles(ctx, s.connString)
		if err != nil || checked != 1 || len(notKept) != 0 {
			t.Fatalf("verify: %d checked, not kept %v, %v; want 1 checked", checked, notKept, err)
		}
		return breaks
	}
	if breaks := verify(t); len(breaks) != 0 {
		t.Fatalf("verify the untouched file: %+v", breaks)
	}
	// Each tampering is made as the owner, the only one who can, caught
	// naming the school and file, and undone.
	for _, c := range []struct {
		name, edit, undo string
		arg              any
		want             string
	}{
		{"EditedContents", `UPDATE received_files SET contents = jsonb_set(contents, '{pupil,last_name}', '"Okafor-Smith"') WHERE id = $1`,
			`UPDATE received_files SET contents = convert_from(signed_bundle, 'UTF8')::jsonb WHERE id = $1`, nil, "its contents are not"},
		{"EditedSignedBundle", `UPDATE received_files SET signed_bundle = convert_to(replace(convert_from(signed_bundle, 'UTF8'), 'Okafor', 'Okafor-Smith'), 'UTF8'),
				contents = jsonb_set(contents, '{pupil,last_name}', '"Okafor-Smith"') WHERE id = $1`,
			`UPDATE received_files SET signed_bundle = $2, contents = convert_from($2, 'UTF8')::jsonb WHERE id = $1`, signed, "its signature does not check"},
		{"DifferentSenderKey", `UPDATE received_files SET sender_key = $2 WHERE id = $1`,
			`UPDATE received_files SET sender_key = $2 WHERE id = $1`, nil, "its signature does not check"},
		{"EditedSendingSchool", `UPDATE received_files SET from_school = 'Another Academy' WHERE id = $1`,
			`UPDATE received_files SET from_school = 'Riverside Academy' WHERE id = $1`, nil, "sending school"},
	} {
		t.Run(c.name, func(t *testing.T) {
			edit, undo := []any{id}, []any{id}
			switch {
			case c.name == "DifferentSenderKey":
				other, _ := transfer.NewKeys()
				edit, undo = append(edit, []byte(other.SigningPublic)), append(undo, []byte(keys1.SigningPublic))
			case c.arg != nil:
				undo = append(undo, c.arg)
			}
			if _, err := s.owner.Exec(ctx, c.edit, edit...); err != nil {
				t.Fatal(err)
			}
			breaks := verify(t)
			if len(breaks) != 1 || breaks[0].SchoolID != school2 || breaks[0].ID != id || !strings.Contains(breaks[0].Problem, c.want) {
				t.Errorf("breaks = %+v, want school %d, file %d: %q", breaks, school2, id, c.want)
			}
			if _, err := s.owner.Exec(ctx, c.undo, undo...); err != nil {
				t.Fatal(err)
			}
			if breaks := verify(t); len(breaks) != 0 {
				t.Fatalf("verify the restored file: %+v", breaks)
			}
		})
	}

	// Down to 00046 and up again, as an upgrade from before the signed
	// bundle was kept runs it: the file imported then keeps NULL.
	t.Run("NotKept", func(t *testing.T) {
		migrateDownTo(t, s.connString, 46)
		if n := s.count(t, `SELECT count(*) FROM information_schema.columns
			WHERE table_name = 'received_files' AND column_name IN ('signed_bundle', 'signature')`); n != 0 {
			t.Fatalf("at 00046 received_files has %d of the new columns", n)
		}
		if err := postgres.Migrate(ctx, s.connString); err != nil {
			t.Fatalf("migrate up: %v", err)
		}
		checked, notKept, breaks, err := postgres.VerifyReceivedFiles(ctx, s.connString)
		if err != nil || checked != 0 || len(breaks) != 0 || len(notKept) != 1 || notKept[0] != (postgres.NotKept{SchoolID: school2, ID: id}) {
			t.Errorf("verify a file without its signed bundle: %d checked, not kept %v, breaks %v, %v", checked, notKept, breaks, err)
		}
		if f, err := db.ReceivedFile(ctx, dsl2, id); err != nil || f.SignedKept {
			t.Errorf("the file without its signed bundle reads as kept %v, %v", f.SignedKept, err)
		}
	})
}
