package pgtest

import (
	"os"
	"testing"
	"time"
)

func TestScratchSleep(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	NewDB(t)
	os.WriteFile("/tmp/scratch.dir", []byte(server.tmpDir), 0o644)
	time.Sleep(time.Minute)
}
