package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/postgres"
)

// verify checks every chronology's hash chain and every school's audit
// chain, and fails if any stored entry or audit row was changed, removed
// or inserted after it was written. It checks every received transfer
// bundle's signature again too, and that what is kept of it is what was
// signed; a file imported before the signed bundle was kept is listed as
// not kept but does not fail. It reads
// every school's chronologies, so it connects as the owner.
func verify(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if err := cfg.CheckDatabases(); err != nil {
		return err
	}
	connString := cfg.DatabaseOwnerURL
	if cfg.PrivateCluster() {
		cluster, err := devdb.Start(ctx, cfg.PostgresDir(), logger)
		if err != nil {
			return err
		}
		defer cluster.Stop()
		connString = cluster.ConnString(devdb.AppDatabase)
	}
	checked, breaks, err := postgres.VerifyChronology(ctx, connString)
	if err != nil {
		return err
	}
	for _, b := range breaks {
		fmt.Printf("school %d, concern %d, entry %d: %s\n", b.SchoolID, b.ConcernID, b.EntryID, b.Problem)
	}
	audited, auditBreaks, err := postgres.VerifyAuditLog(ctx, connString)
	if err != nil {
		return err
	}
	for _, b := range auditBreaks {
		if b.ID == 0 {
			fmt.Printf("school %d, audit log: %s\n", b.SchoolID, b.Problem)
			continue
		}
		fmt.Printf("school %d, audit row %d: %s\n", b.SchoolID, b.ID, b.Problem)
	}
	received, notKept, receivedBreaks, err := postgres.VerifyReceivedFiles(ctx, connString)
	if err != nil {
		return err
	}
	for _, n := range notKept {
		fmt.Printf("school %d, received file %d: not kept (imported before Haven kept the signed bundle), so not checked\n", n.SchoolID, n.ID)
	}
	for _, b := range receivedBreaks {
		fmt.Printf("school %d, received file %d: %s\n", b.SchoolID, b.ID, b.Problem)
	}
	if len(breaks) > 0 || len(auditBreaks) > 0 || len(receivedBreaks) > 0 {
		return fmt.Errorf("%d of %d chronology entries, %d of %d audit rows and %d of %d received files failed verification",
			len(breaks), checked, len(auditBreaks), audited, len(receivedBreaks), received)
	}
	fmt.Printf("All %d chronology entries, %d audit rows and %d received files verified: no stored history has been changed.\n",
		checked, audited, received)
	return nil
}
