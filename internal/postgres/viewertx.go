package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/safeguarding"
)

// viewerTx is the transaction asViewer hands to its function. It costs no
// round trip of its own: BEGIN and the viewer's settings (haven_set_viewer)
// travel in one pipeline with the first statement, and sendLast can send
// COMMIT with the last. A page that reads in one batch is then one round
// trip, where BEGIN, the batch and COMMIT were three.
type viewerTx struct {
	conn  *pgxpool.Conn
	v     safeguarding.Viewer
	begun bool
}

var _ pgx.Tx = (*viewerTx)(nil)

// send sends b on the transaction, preceded by BEGIN and the viewer's
// settings if nothing has been sent yet; the caller sees only b's results.
func (t *viewerTx) send(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if t.begun {
		return t.conn.SendBatch(ctx, b)
	}
	t.begun = true
	full := &pgx.Batch{}
	full.Queue("BEGIN")
	full.Queue("SELECT haven_set_viewer($1, $2)", t.v.SchoolID, t.v.PersonID)
	full.QueuedQueries = append(full.QueuedQueries, b.QueuedQueries...)
	br := t.conn.SendBatch(ctx, full)
	for range 2 {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return failedBatch{fmt.Errorf("begin as viewer: %w", err)}
		}
	}
	return br
}

func (t *viewerTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return t.send(ctx, b)
}

func (t *viewerTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.begun {
		return t.conn.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := t.send(ctx, b)
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

func (t *viewerTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if t.begun {
		return t.conn.Query(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br := t.send(ctx, b)
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return rows, err
	}
	return batchRows{Rows: rows, br: br}, nil
}

func (t *viewerTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := t.Query(ctx, sql, args...)
	return firstRow{rows: rows, err: err}
}

// ensureBegun sends BEGIN and the viewer's settings on their own, for the
// methods that do not go through a batch.
func (t *viewerTx) ensureBegun(ctx context.Context) error {
	if t.begun {
		return nil
	}
	return t.send(ctx, &pgx.Batch{}).Close()
}

func (t *viewerTx) Begin(ctx context.Context) (pgx.Tx, error) {
	return nil, errors.New("a viewer's transaction does not nest")
}

func (t *viewerTx) Commit(ctx context.Context) error {
	return errors.New("asViewer commits a viewer's transaction when its function returns")
}

// Rollback abandons the transaction; asViewer then returns what the function
// returns.
func (t *viewerTx) Rollback(ctx context.Context) error {
	if t.conn.Conn().PgConn().TxStatus() == 'I' {
		return nil
	}
	_, err := t.conn.Exec(ctx, "ROLLBACK")
	return err
}

func (t *viewerTx) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.ensureBegun(ctx); err != nil {
		return 0, err
	}
	return t.conn.CopyFrom(ctx, table, columns, src)
}

func (t *viewerTx) LargeObjects() pgx.LargeObjects {
	panic("a viewer's transaction has no large objects")
}

func (t *viewerTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.conn.Conn().Prepare(ctx, name, sql)
}

func (t *viewerTx) Conn() *pgx.Conn { return t.conn.Conn() }

// sendLast sends b as the last statements of tx, with its COMMIT when tx is
// a viewer's transaction: a read and its audit row in one round trip. The
// transaction commits on the server even if a callback of b then fails in
// Go, so it is for reads, where that means at most an audit row for a page
// that was not shown, and for writes whose retry finds what was committed
// (a concern's submission token).
func sendLast(ctx context.Context, tx pgx.Tx, b *pgx.Batch) error {
	if _, ok := tx.(*viewerTx); ok {
		b.Queue("COMMIT")
	}
	return tx.SendBatch(ctx, b).Close()
}

// batchRows are the rows of the one query of a batch; closing them closes
// the batch.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r batchRows) Close() {
	r.Rows.Close()
	r.br.Close()
}

// firstRow is pgx.Row over rows: the first row, or pgx.ErrNoRows.
type firstRow struct {
	rows pgx.Rows
	err  error
}

func (r firstRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// failedBatch answers every read of a batch whose BEGIN failed with why.
type failedBatch struct{ err error }

func (f failedBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, f.err }
func (f failedBatch) Query() (pgx.Rows, error)         { return nil, f.err }
func (f failedBatch) QueryRow() pgx.Row                { return firstRow{err: f.err} }
func (f failedBatch) Close() error                     { return f.err }
func (f failedBatch) Tx() pgx.Tx                       { return nil }
