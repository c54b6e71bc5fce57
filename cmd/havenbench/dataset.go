package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/havenapp/haven/internal/devdb"
	"github.com/havenapp/haven/internal/password"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/safeguarding"
)

// bench is a run: the private cluster and an owner's pool on it.
type bench struct {
	o       Options
	log     *slog.Logger
	cluster *devdb.Cluster
	owner   *pgxpool.Pool // the migrating user: bypasses row-level security
	info    datasetInfo
}

// datasetInfo is kept as the database's comment: the marker that the
// dataset is complete, and what its build cost.
type datasetInfo struct {
	Version      int              `json:"version"`
	BuiltAt      time.Time        `json:"built_at"`
	BuildSeconds float64          `json:"build_seconds"`
	Rows         map[string]int64 `json:"rows"`
}

func openBench(ctx context.Context, o Options, logger *slog.Logger) (*bench, error) {
	cluster, err := devdb.StartWithOptions(ctx, filepath.Join(o.Dir, "postgres"), logger, devdb.Options{Fast: true, SharedBuffers: "1GB"})
	if err != nil {
		return nil, err
	}
	b := &bench{o: o, log: logger, cluster: cluster}
	return b, nil
}

func (b *bench) close() {
	if b.owner != nil {
		b.owner.Close()
	}
	if err := b.cluster.Stop(); err != nil {
		b.log.Error("stop PostgreSQL", "err", err)
	}
}

// connString is the owner's: the build, the restore and the migrations.
func (b *bench) connString() string { return b.cluster.ConnString(devdb.AppDatabase) }

// appConnString is the app's own login, which the measured server uses as
// `haven serve` does on the private cluster.
func (b *bench) appConnString() string {
	return b.cluster.ConnStringAs(postgres.AppRole, devdb.AppDatabase)
}

// ensureDataset builds the dataset unless the database is marked as
// holding it already.
func (b *bench) ensureDataset(ctx context.Context) error {
	info, ok, err := b.readMarker(ctx)
	if err != nil {
		return err
	}
	if ok && info.Version == datasetVersion && !b.o.Rebuild {
		b.log.Info("dataset present; skipping the build", "built_at", info.BuiltAt, "build_seconds", info.BuildSeconds)
		b.info = info
		if err := b.openOwner(ctx); err != nil {
			return err
		}
		if err := b.restore(ctx, info); err != nil {
			return err
		}
		return b.keepReports(ctx)
	}
	buildCtx, cancel := context.WithTimeout(ctx, b.o.MaxBuild)
	defer cancel()
	if err := b.build(buildCtx); err != nil {
		return err
	}
	return b.keepReports(ctx)
}

// keepReports runs what the nightly job runs (jobs.KeepReportsWorker): it
// works out and keeps the completed years' annual report figures not yet
// kept, so that the server starts on a database as it is on any morning.
// It has work only after a build, or when a change to what a report counts
// (a migration, a new rule) threw kept figures away.
func (b *bench) keepReports(ctx context.Context) error {
	started := time.Now()
	var n int
	if err := b.owner.QueryRow(ctx, `SELECT haven_keep_annual_reports()`).Scan(&n); err != nil {
		return fmt.Errorf("keep the annual reports' figures: %w", err)
	}
	b.log.Info("completed years' report figures kept, as the nightly job keeps them", "years", n,
		"elapsed", time.Since(started).Round(time.Second))
	return nil
}

// openOwner migrates the database, lets the app's role log in and opens
// the owner's pool.
func (b *bench) openOwner(ctx context.Context) error {
	pool, err := pgxpool.New(ctx, b.connString())
	if err != nil {
		return err
	}
	b.owner = pool
	if err := postgres.Migrate(ctx, b.connString()); err != nil {
		return err
	}
	return postgres.AllowAppLogin(ctx, b.connString(), "")
}

// restore returns an existing dataset to the state it was built in (as
// today's code would build it: see the password hashes), then
// vacuums and analyses it, so that every run starts from the same state and
// the planner sees what a new migration left (an index, a column).
//
// Each run files thousands of concerns, with their entries, alert jobs and
// audit rows. Left in place, they would lengthen every later run's queue,
// and the table pages they touched would drop out of the visibility map, so
// that the next run's index-only walks visit the table. The build writes its
// rows with ids 1..n, and the marker records n, so whatever has a higher id
// came from a run.
func (b *bench) restore(ctx context.Context, info datasetInfo) error {
	started := time.Now()
	concerns, entries := info.Rows["concerns"], info.Rows["chronology_entries"]
	if concerns == 0 || entries == 0 {
		return fmt.Errorf("the dataset's marker records no concerns or entries; rebuild it with -rebuild")
	}
	tx, err := b.owner.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	// Whole concerns go, with every link and entry, so no reference is left
	// dangling; the foreign-key triggers are off, as for the build, since
	// checking each deleted entry against the corrections (corrects_id) would
	// scan the chronology once an entry.
	if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
		return err
	}
	for _, q := range []struct {
		sql string
		arg int64
	}{
		{`DELETE FROM chronology_entries WHERE id > $1`, entries},
		{`DELETE FROM concern_pupils WHERE concern_id > $1`, concerns},
		{`DELETE FROM concerns WHERE id > $1`, concerns},
	} {
		if _, err := tx.Exec(ctx, q.sql, q.arg); err != nil {
			return fmt.Errorf("restore the dataset: %w", err)
		}
	}
	// The build writes none of these: all of them came from runs.
	if _, err := tx.Exec(ctx, `TRUNCATE river_job, audit_log, audit_chain_heads, sessions, concern_drafts`); err != nil {
		return fmt.Errorf("restore the dataset: %w", err)
	}
	// The deadlines, as the build makes them from the history.
	if _, err := tx.Exec(ctx, `TRUNCATE deadlines`); err != nil {
		return fmt.Errorf("restore the dataset: %w", err)
	}
	if _, err := tx.Exec(ctx, deadlinesSQL); err != nil {
		return fmt.Errorf("restore the dataset's deadlines: %w", err)
	}
	// Every account has the one password the build hashed. A hash made with
	// older parameters would be replaced at each account's first sign-in
	// (password.NeedsRehash), so a run would measure that once-off second
	// hash; the build's state is one hash with today's parameters.
	var hash string
	var hashes int
	if err := tx.QueryRow(ctx, `SELECT min(password_hash), count(DISTINCT password_hash) FROM people`).Scan(&hash, &hashes); err != nil {
		return fmt.Errorf("restore the dataset: %w", err)
	}
	if hashes > 1 || password.NeedsRehash(hash) {
		if hash, err = password.Hash(benchPassword); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE people SET password_hash = $1`, hash); err != nil {
			return fmt.Errorf("restore the dataset: %w", err)
		}
	}
	// Open pattern flags, as the dataset's, whatever runs raised or
	// reviewed (and for a dataset built before there were flags).
	if _, err := tx.Exec(ctx, `DELETE FROM pattern_flags`); err != nil {
		return fmt.Errorf("restore the dataset: %w", err)
	}
	if _, err := tx.Exec(ctx, seedPatternFlagsSQL); err != nil {
		return fmt.Errorf("restore the dataset: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	if _, err := b.owner.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	b.log.Info("dataset restored to its built state, vacuumed and analysed", "schema", b.schemaVersion(ctx),
		"elapsed", time.Since(started).Round(time.Second))
	return nil
}

// schemaVersion is goose's latest applied migration; 0 for a new database.
func (b *bench) schemaVersion(ctx context.Context) int64 {
	var v int64
	if err := b.owner.QueryRow(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
		return 0
	}
	return v
}

func (b *bench) readMarker(ctx context.Context) (datasetInfo, bool, error) {
	var info datasetInfo
	conn, err := pgx.Connect(ctx, b.cluster.ConnString("postgres"))
	if err != nil {
		return info, false, err
	}
	defer conn.Close(ctx)
	var comment *string
	err = conn.QueryRow(ctx, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1`, devdb.AppDatabase).Scan(&comment)
	if errors.Is(err, pgx.ErrNoRows) || comment == nil || !strings.HasPrefix(*comment, "havenbench ") {
		return info, false, nil
	}
	if err != nil {
		return info, false, err
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(*comment, "havenbench ")), &info); err != nil {
		return info, false, nil
	}
	return info, true, nil
}

// build makes the dataset from nothing: a fresh database, migrated, filled
// with COPY as the owner, indexed, vacuumed and analysed, then marked.
func (b *bench) build(ctx context.Context) error {
	started := time.Now()
	b.log.Info("building the dataset", "schools", schoolCount, "pupils", schoolCount*pupilsPerSchool, "concerns", schoolCount*concernsPerSchool)
	admin, err := pgx.Connect(ctx, b.cluster.ConnString("postgres"))
	if err != nil {
		return err
	}
	for _, q := range []string{`DROP DATABASE IF EXISTS haven WITH (FORCE)`, `CREATE DATABASE haven`} {
		if _, err := admin.Exec(ctx, q); err != nil {
			admin.Close(ctx)
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	admin.Close(ctx)
	if err := b.openOwner(ctx); err != nil {
		return err
	}

	g, err := newGenerator(ctx, b.owner, time.Now().UTC().Truncate(time.Hour))
	if err != nil {
		return err
	}

	// Bulk loading: ids given explicitly, secondary indexes built once at
	// the end, triggers off. The generator makes every reference valid and
	// writes what the app's triggers would; checkRules compares the result
	// with the app's rules, and verifySample recomputes a sample of chains.
	if err := explicitIDs(ctx, b.owner, true); err != nil {
		return err
	}
	indexes, err := b.dropSecondaryIndexes(ctx, "concerns", "concern_pupils", "chronology_entries")
	if err != nil {
		return err
	}

	schools := roster(g.now)
	hash, err := password.Hash(benchPassword) // once: argon2id is slow by design
	if err != nil {
		return err
	}
	if err := b.copyRoster(ctx, schools, hash); err != nil {
		return fmt.Errorf("copy the roster: %w", err)
	}
	b.log.Info("roster loaded", "elapsed", time.Since(started).Round(time.Second))
	if err := b.copyHistories(ctx, g, schools); err != nil {
		return err
	}
	b.log.Info("concerns and chronologies loaded", "elapsed", time.Since(started).Round(time.Second))

	if err := explicitIDs(ctx, b.owner, false); err != nil {
		return err
	}
	for _, t := range idTables {
		if _, err := b.owner.Exec(ctx, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %s))`, t, t)); err != nil {
			return err
		}
	}
	if err := b.createIndexes(ctx, indexes); err != nil {
		return err
	}
	b.log.Info("indexes built", "elapsed", time.Since(started).Round(time.Second))
	if _, err := b.owner.Exec(ctx, seedPatternFlagsSQL); err != nil {
		return fmt.Errorf("seed pattern flags: %w", err)
	}
	if _, err := b.owner.Exec(ctx, deadlinesSQL); err != nil {
		return fmt.Errorf("deadlines of the history: %w", err)
	}
	if _, err := b.owner.Exec(ctx, `VACUUM (ANALYZE)`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	b.log.Info("vacuumed and analysed", "elapsed", time.Since(started).Round(time.Second))
	if err := b.checkRules(ctx); err != nil {
		return err
	}
	b.log.Info("dataset checked against the app's rules", "elapsed", time.Since(started).Round(time.Second))
	if err := b.verifySample(ctx); err != nil {
		return err
	}

	rows, err := b.rowCounts(ctx)
	if err != nil {
		return err
	}
	b.info = datasetInfo{Version: datasetVersion, BuiltAt: started.UTC(), BuildSeconds: time.Since(started).Seconds(), Rows: rows}
	marker, _ := json.Marshal(b.info)
	if _, err := b.owner.Exec(ctx, `COMMENT ON DATABASE haven IS `+quoteLiteral("havenbench "+string(marker))); err != nil {
		return err
	}
	b.log.Info("dataset built", "seconds", int(b.info.BuildSeconds), "rows", rows)
	return nil
}

// seedPatternFlagsSQL gives each school the open pattern flags the queue
// shows (ten, on the pupils with three or more concerns most recently
// logged), in a dataset that has none: the queue reads them on every view.
const seedPatternFlagsSQL = `INSERT INTO pattern_flags (school_id, pupil_id, rule, concern_ids, raised_at)
SELECT x.school_id, x.pupil_id, 'many_concerns', x.ids[1:3], now()
FROM (SELECT cp.school_id, cp.pupil_id, array_agg(cp.concern_id ORDER BY cp.concern_id DESC) AS ids,
             row_number() OVER (PARTITION BY cp.school_id ORDER BY max(cp.concern_id) DESC) AS n
      FROM concern_pupils cp WHERE cp.concern_route = 'child'
      GROUP BY cp.school_id, cp.pupil_id HAVING count(*) >= 3) x
WHERE x.n <= 10`

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// idTables are the tables whose ids the build gives explicitly.
var idTables = []string{"schools", "people", "pupils", "concerns", "chronology_entries"}

// explicitIDs lets the loader write ids (on) or has PostgreSQL generate
// them again, as the app expects (off).
func explicitIDs(ctx context.Context, db execer, on bool) error {
	generated := "ALWAYS"
	if on {
		generated = "BY DEFAULT"
	}
	for _, t := range idTables {
		if _, err := db.Exec(ctx, `ALTER TABLE `+t+` ALTER COLUMN id SET GENERATED `+generated); err != nil {
			return err
		}
	}
	return nil
}

// execer and queryRower are what a pool and a connection have in common.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// newGenerator reads the reference lists a history draws on.
func newGenerator(ctx context.Context, db queryRower, now time.Time) (*generator, error) {
	g := &generator{now: now}
	if err := db.QueryRow(ctx, `SELECT array_agg(code ORDER BY position) FROM categories`).Scan(&g.categories); err != nil {
		return nil, err
	}
	if err := db.QueryRow(ctx, `SELECT array_agg(code ORDER BY position) FROM cse_indicators`).Scan(&g.indicators); err != nil {
		return nil, err
	}
	return g, nil
}

type indexDef struct{ name, def string }

func (b *bench) dropSecondaryIndexes(ctx context.Context, tables ...string) ([]indexDef, error) {
	rows, err := b.owner.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i WHERE i.indrelid = ANY($1::regclass[]) AND NOT i.indisprimary ORDER BY 1`, tables)
	if err != nil {
		return nil, err
	}
	defs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (indexDef, error) {
		var d indexDef
		return d, r.Scan(&d.name, &d.def)
	})
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		if _, err := b.owner.Exec(ctx, `DROP INDEX `+d.name); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

func (b *bench) createIndexes(ctx context.Context, defs []indexDef) error {
	conn, err := b.owner.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return err
	}
	for _, d := range defs {
		if _, err := conn.Exec(ctx, d.def); err != nil {
			return fmt.Errorf("%s: %w", d.def, err)
		}
	}
	_, err = conn.Exec(ctx, `RESET maintenance_work_mem`)
	return err
}

// loader is a connection for COPY with triggers off, foreign keys' and the
// app's alike (as the superuser owner, session_replication_role = replica):
// checkRules checks afterwards what the app's triggers would have written.
func loader(ctx context.Context, connString string) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `SET session_replication_role = replica`); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return conn, nil
}

func (b *bench) copyRoster(ctx context.Context, schools []*school, hash string) error {
	conn, err := loader(ctx, b.connString())
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return copyRoster(ctx, conn, schools, hash)
}

// copyRoster writes the schools, their people (each with the password hash
// given) and roles, and their pupils.
func copyRoster(ctx context.Context, conn *pgx.Conn, schools []*school, hash string) error {
	var schoolRows, people, roles, pupils [][]any
	for _, s := range schools {
		schoolRows = append(schoolRows, []any{s.id, s.name})
		for _, p := range s.people {
			people = append(people, []any{p.schoolID, p.id, p.email, p.name, p.title, hash})
			for _, r := range p.roles {
				roles = append(roles, []any{p.schoolID, p.id, string(r)})
			}
		}
		for _, p := range s.pupils {
			pupils = append(pupils, []any{p.schoolID, p.id, p.first, p.last, p.year, p.born})
		}
	}
	for _, c := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"schools", []string{"id", "name"}, schoolRows},
		{"people", []string{"school_id", "id", "email", "full_name", "job_title", "password_hash"}, people},
		{"person_roles", []string{"school_id", "person_id", "role"}, roles},
		{"pupils", []string{"school_id", "id", "first_name", "last_name", "year_group", "date_of_birth"}, pupils},
	} {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", c.table, err)
		}
	}
	return nil
}

var (
	concernColumns = []string{"school_id", "id", "route", "subject_kind", "subject_person_id", "subject_adult_name", "subject_adult_role",
		"logged_by", "logged_at", "submission_token", "categories", "indicators", "what_happened", "childs_words", "happened_on",
		"happened_time", "location", "others_told", "actions_taken", "urgent", "status", "assigned_to", "acknowledged_at",
		"last_activity_at", "feedback_given"}
	// The last columns are copies that row-level security and the queue's
	// year filter read (migrations/rules/access.sql, migrations/00008): the concern's route,
	// subject and author, and the pupil's year group. The triggers that
	// write them are off while loading; checkRules compares them afterwards.
	entryColumns = []string{"school_id", "id", "concern_id", "kind", "author_id", "at", "body", "details", "corrects_id", "prev_hash", "hash",
		"concern_route", "concern_subject_id", "concern_logged_by"}
	linkColumns = []string{"school_id", "concern_id", "pupil_id", "concern_route", "concern_subject_id", "concern_logged_by", "pupil_year_group",
		"part", "indicators", "childs_words"}
)

// copyHistories generates the schools' histories in one goroutine (ids in
// order) and copies them in two, each on its own connection, so that the
// server's work on one school overlaps the generation of the next.
func (b *bench) copyHistories(ctx context.Context, g *generator, schools []*school) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	histories := make(chan *schoolHistory, 2)
	go func() {
		defer close(histories)
		for _, s := range schools {
			select {
			case histories <- g.history(s):
			case <-ctx.Done():
				return
			}
		}
	}()

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	var mu sync.Mutex
	done := 0
	for range 2 {
		wg.Go(func() {
			conn, err := loader(ctx, b.connString())
			if err != nil {
				errs <- err
				cancel()
				return
			}
			defer conn.Close(context.WithoutCancel(ctx))
			for h := range histories {
				if err := copyHistory(ctx, conn, h); err != nil {
					errs <- fmt.Errorf("school %d: %w", h.school.id, err)
					cancel()
					return
				}
				mu.Lock()
				done++
				if done%5 == 0 {
					b.log.Info("loading schools", "done", done, "of", len(schools))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	return errors.Join(func() []error {
		var all []error
		for e := range errs {
			all = append(all, e)
		}
		return all
	}()...)
}

func copyHistory(ctx context.Context, conn *pgx.Conn, h *schoolHistory) error {
	sid := h.school.id
	_, err := conn.CopyFrom(ctx, pgx.Identifier{"concerns"}, concernColumns, pgx.CopyFromSlice(len(h.concerns), func(i int) ([]any, error) {
		c := &h.concerns[i]
		in := c.input()
		return []any{sid, c.id, string(c.route), string(c.subjectKind), nullID(c.subjectPerson), c.adultName, c.adultRole,
			c.loggedBy, c.loggedAt, c.token, c.categories, nonNil(in.AllIndicators()), c.what, in.UnattributedWords(), c.happenedOn,
			c.happenedTime, c.location, c.othersTold, c.actionsTaken, c.urgent, string(c.status), nullID(c.assignedTo), c.acknowledgedAt,
			c.lastActivity, c.feedbackGiven}, nil
	}))
	if err != nil {
		return fmt.Errorf("copy concerns: %w", err)
	}
	var links [][]any
	at := make(map[int64]int, len(h.concerns)) // concern id → index
	year := make(map[int64]int16, len(h.school.pupils))
	for _, p := range h.school.pupils {
		year[p.id] = p.year
	}
	for i, c := range h.concerns {
		at[c.id] = i
		for _, p := range c.input().PupilParts() {
			links = append(links, []any{sid, c.id, p.PupilID, string(c.route), nullID(c.subjectPerson), c.loggedBy, year[p.PupilID],
				string(p.Part), nonNil(p.Indicators), p.ChildsWords})
		}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"concern_pupils"}, linkColumns, pgx.CopyFromRows(links)); err != nil {
		return fmt.Errorf("copy concern_pupils: %w", err)
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"chronology_entries"}, entryColumns, pgx.CopyFromSlice(len(h.entries), func(i int) ([]any, error) {
		e := &h.entries[i]
		c := &h.concerns[at[e.concernID]]
		return []any{sid, e.id, e.concernID, string(e.kind), e.author, e.at, e.body, json.RawMessage(e.details), nullID(e.correctsID), e.prev, e.hash,
			string(c.route), nullID(c.subjectPerson), c.loggedBy}, nil
	}))
	if err != nil {
		return fmt.Errorf("copy chronology_entries: %w", err)
	}
	return nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// verifySample recomputes the hash chains of a sample of concerns, the
// longest among them, from what the database stored.
func (b *bench) verifySample(ctx context.Context) error {
	rows, err := b.owner.Query(ctx, `(SELECT school_id, id FROM concerns TABLESAMPLE SYSTEM (0.1) LIMIT 200)
		UNION (SELECT school_id, concern_id FROM chronology_entries GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 5)`)
	if err != nil {
		return err
	}
	type key struct{ school, concern int64 }
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (key, error) {
		var k key
		return k, r.Scan(&k.school, &k.concern)
	})
	if err != nil {
		return err
	}
	checked := 0
	for _, k := range keys {
		rows, err := b.owner.Query(ctx, `SELECT school_id, id, concern_id, kind, author_id, at, body, details, coalesce(corrects_id, 0), prev_hash, hash
			FROM chronology_entries WHERE school_id = $1 AND concern_id = $2 ORDER BY id`, k.school, k.concern)
		if err != nil {
			return err
		}
		entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (safeguarding.Entry, error) {
			var e safeguarding.Entry
			var details []byte
			if err := r.Scan(&e.SchoolID, &e.ID, &e.ConcernID, &e.Kind, &e.AuthorID, &e.At, &e.Body, &details, &e.CorrectsID, &e.PrevHash, &e.Hash); err != nil {
				return e, err
			}
			return e, json.Unmarshal(details, &e.Details)
		})
		if err != nil {
			return err
		}
		prev := []byte{}
		for _, e := range entries {
			if !bytes.Equal(e.PrevHash, prev) || !bytes.Equal(safeguarding.ChainHash(prev, e), e.Hash) {
				return fmt.Errorf("hash chain of concern %d (school %d) broken at entry %d", k.concern, k.school, e.ID)
			}
			prev = e.Hash
		}
		checked++
	}
	b.log.Info("hash chains verified", "concerns", checked)
	return nil
}

// checkRules checks the dataset on a connection with room to hash the
// concerns for the joins.
func (b *bench) checkRules(ctx context.Context) error {
	conn, err := b.owner.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SET work_mem = '256MB'`); err != nil {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `RESET work_mem`)
	return checkRules(ctx, conn)
}

func (b *bench) rowCounts(ctx context.Context) (map[string]int64, error) {
	counts := map[string]int64{}
	for _, t := range []string{"schools", "people", "person_roles", "pupils", "concerns", "concern_pupils", "chronology_entries"} {
		var n int64
		if err := b.owner.QueryRow(ctx, `SELECT count(*) FROM `+t).Scan(&n); err != nil {
			return nil, err
		}
		counts[t] = n
	}
	return counts, nil
}

// deadlinesSQL opens the deadlines the built history owes, as migration
// 00033 does for a database that had concerns before it: the responses to
// the referrals of open concerns that have none, and the feedback owed on
// open concerns to whoever logged them unless they handle them. The build
// writes chronologies with COPY, not through the store that opens
// deadlines as entries are recorded. The concern's route, subject and
// author are copied here as deadlines_copy_access would: restore runs this
// with triggers off.
const deadlinesSQL = `
	INSERT INTO deadlines (school_id, kind, concern_id, entry_id, starts_on, working_days,
	                       concern_route, concern_subject_id, concern_logged_by)
	SELECT e.school_id, 'referral_response', e.concern_id, e.id,
	       CASE WHEN e.details->>'referred_on' ~ '^\d{4}-\d{2}-\d{2}$' THEN (e.details->>'referred_on')::date
	            ELSE (coalesce(e.happened_at, e.at) AT TIME ZONE 'Europe/London')::date END, 1,
	       c.route, c.subject_person_id, c.logged_by
	FROM chronology_entries e
	JOIN concerns c ON c.school_id = e.school_id AND c.id = e.concern_id
	WHERE e.kind = 'referral' AND c.status <> 'closed'
	  AND NOT EXISTS (SELECT 1 FROM chronology_entries r WHERE r.school_id = e.school_id AND r.concern_id = e.concern_id
	                  AND r.kind = 'referral_response' AND r.details->>'referral_id' = e.id::text);
	INSERT INTO deadlines (school_id, kind, concern_id, starts_on, working_days,
	                       concern_route, concern_subject_id, concern_logged_by)
	SELECT c.school_id, 'feedback', c.id, (c.logged_at AT TIME ZONE 'Europe/London')::date, 2,
	       c.route, c.subject_person_id, c.logged_by
	FROM concerns c
	WHERE c.status <> 'closed' AND NOT c.feedback_given
	  AND NOT haven_handles_as(haven_roles_of(c.school_id, c.logged_by), c.route)`
