package demo_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/havenapp/haven/internal/demo"
	"github.com/havenapp/haven/internal/postgres"
	"github.com/havenapp/haven/internal/postgres/pgtest"
)

func cpuOf(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndex(s, ")")+2:])
	u, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(u+st) * 10 * time.Millisecond
}

func TestScratchCPU(t *testing.T) {
	ctx := context.Background()
	conn := pgtest.NewDB(t)
	db, _ := postgres.Open(ctx, conn)
	defer db.Close()
	if err := demo.Load(ctx, db, "x-demo-password1"); err != nil {
		t.Fatal(err)
	}
	owner, _ := pgx.Connect(ctx, conn)
	defer owner.Close(ctx)
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	done := make(chan struct{})
	var pg time.Duration
	go func() { // sample backend CPU just before the load's pool closes: poll
		seen := map[int]time.Duration{}
		for {
			rows, _ := owner.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
			ps, _ := pgx.CollectRows(rows, pgx.RowTo[int32])
			for _, p := range ps {
				if c := cpuOf(int(p)); c > 0 {
					seen[int(p)] = c
				}
			}
			select {
			case <-done:
				for _, c := range seen {
					pg += c
				}
				done <- struct{}{}
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	if err := demo.LoadHistory(ctx, db, time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	wall := time.Since(start)
	done <- struct{}{}
	<-done
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	gocpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
	t.Logf("wall %s; postgres backends CPU ≈ %s; Go CPU %s", wall, pg, gocpu)
}
