package postgres_test

import (
	"testing"

	"github.com/havenapp/haven/internal/postgres/pgtest"
)

// Every test in this package gets a fresh database from pgtest.NewDB.
func TestMain(m *testing.M) { pgtest.Main(m) }
