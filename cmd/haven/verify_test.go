package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/postgres/pgtest"
	"github.com/havenapp/haven/internal/safeguarding"
	"github.com/havenapp/haven/internal/transfer"
)

// `haven verify` fails on an audit row edited as the owner, naming it,
// and passes again once the row is put back.
func TestVerifyCatchesAnEditedAuditRow(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	var school, id int64
	if err := owner.QueryRow(ctx, `INSERT INTO schools (name) VALUES ('Riverside Academy') RETURNING id`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"sign_in", "view_queue", "sign_out"} {
		if err := owner.QueryRow(ctx, `INSERT INTO audit_log (school_id, action, address) VALUES ($1, $2, '192.0.2.1') RETURNING id`,
			school, action).Scan(&id); err != nil {
			t.Fatal(err)
		}
	}
	if err := owner.QueryRow(ctx, `SELECT id FROM audit_log WHERE action = 'view_queue'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString}
	verify := func() (string, error) {
		t.Helper()
		return captureStdout(t, func() error { return run(ctx, cfg, logger, []string{"verify"}) })
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "3 audit rows and 0 received files verified") {
		t.Fatalf("verify the untouched log: %v\n%s", err, out)
	}
	if _, err := owner.Exec(ctx, `UPDATE audit_log SET address = '198.51.100.7' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	out, err := verify()
	if err == nil || !strings.Contains(out, "audit row "+strconv.FormatInt(id, 10)+": its content was changed") {
		t.Fatalf("verify the edited log: %v\n%s", err, out)
	}
	if _, err := owner.Exec(ctx, `UPDATE audit_log SET address = '192.0.2.1' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if out, err := verify(); err != nil {
		t.Fatalf("verify the restored log: %v\n%s", err, out)
	}
}

// `haven verify` checks each received transfer file's kept signed bundle:
// it passes a clean one, lists one imported before the bundle was kept as
// not kept without failing, and fails naming the school and file when the
// contents or the sender key kept with it were changed.
func TestVerifyChecksReceivedFiles(t *testing.T) {
	ctx := t.Context()
	connString := pgtest.NewDB(t)
	owner, err := pgx.Connect(ctx, connString)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(context.Background())
	var school, person, pupil int64
	if err := owner.QueryRow(ctx, `INSERT INTO schools (name) VALUES ('Hilltop School') RETURNING id`).Scan(&school); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, `INSERT INTO people (school_id, email, full_name) VALUES ($1, 'dsl@hilltop.test', 'Second Lead') RETURNING id`,
		school).Scan(&person); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, `INSERT INTO pupils (school_id, first_name, last_name, year_group, date_of_birth)
		VALUES ($1, 'Ruby', 'Okafor', 10, '2010-05-14') RETURNING id`, school).Scan(&pupil); err != nil {
		t.Fatal(err)
	}
	sender, receiver := newTransferKeys(t), newTransferKeys(t)
	b := safeguarding.TransferBundle{Version: safeguarding.BundleVersion, BundleID: "6f1c1d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f",
		FromSchool: "Riverside Academy", ToRecipient: receiver.AgeRecipient,
		Pupil: safeguarding.BundlePupil{FirstName: "Ruby", LastName: "Okafor", DateOfBirth: "2010-05-14"}}
	sealed, err := transfer.Seal(b, sender, receiver.AgeRecipient)
	if err != nil {
		t.Fatal(err)
	}
	_, signed, err := transfer.Open(sealed, receiver.AgeIdentity, sender.SigningPublic, receiver.AgeRecipient)
	if err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO received_files (school_id, pupil_id, bundle_id, from_school, sender_key, version, contents, received_at, received_by,
			signed_bundle, signature)
		VALUES ($1, $2, $3, 'Riverside Academy', $4, 1, $5, now(), $6, $7, $8) RETURNING id`
	var kept, old int64
	if err := owner.QueryRow(ctx, insert, school, pupil, b.BundleID, []byte(sender.SigningPublic), string(signed.Bundle), person,
		signed.Bundle, signed.Signature).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if err := owner.QueryRow(ctx, insert, school, pupil, "0b7e6a52-3c1d-4f2e-8a9b-1c2d3e4f5a6b", []byte(sender.SigningPublic), `{}`, person,
		nil, nil).Scan(&old); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{DatabaseURL: pgtest.AppConnString(t, connString), DatabaseOwnerURL: connString}
	verify := func() (string, error) {
		t.Helper()
		return captureStdout(t, func() error { return run(ctx, cfg, logger, []string{"verify"}) })
	}
	named := func(id int64) string {
		return "school " + strconv.FormatInt(school, 10) + ", received file " + strconv.FormatInt(id, 10) + ": "
	}
	out, err := verify()
	if err != nil || !strings.Contains(out, "and 1 received files verified") || !strings.Contains(out, named(old)+"not kept") {
		t.Fatalf("verify the untouched files: %v\n%s", err, out)
	}
	for _, c := range []struct{ name, edit, undo, want string }{
		{"EditedContents", `UPDATE received_files SET contents = jsonb_set(contents, '{pupil,last_name}', '"Smith"') WHERE id = $1`,
			`UPDATE received_files SET contents = convert_from(signed_bundle, 'UTF8')::jsonb WHERE id = $1`, "its contents are not"},
		{"DifferentSenderKey", `UPDATE received_files SET sender_key = decode(repeat('07', 32), 'hex') WHERE id = $1`,
			`UPDATE received_files SET sender_key = $2 WHERE id = $1`, "its signature does not check"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := owner.Exec(ctx, c.edit, kept); err != nil {
				t.Fatal(err)
			}
			out, err := verify()
			if err == nil || !strings.Contains(out, named(kept)+c.want) {
				t.Errorf("verify the edited file: %v\n%s", err, out)
			}
			args := []any{kept}
			if strings.Contains(c.undo, "$2") {
				args = append(args, []byte(sender.SigningPublic))
			}
			if _, err := owner.Exec(ctx, c.undo, args...); err != nil {
				t.Fatal(err)
			}
			if out, err := verify(); err != nil {
				t.Fatalf("verify the restored file: %v\n%s", err, out)
			}
		})
	}
}

func newTransferKeys(t *testing.T) transfer.Keys {
	t.Helper()
	k, err := transfer.NewKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// captureStdout runs fn and returns what it printed.
func captureStdout(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, r)
		done <- b.String()
	}()
	err = fn()
	os.Stdout = stdout
	w.Close()
	return <-done, err
}
