package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CPU time spent per request is the measure that does not depend on what
// else the machine is doing: on a shared machine requests per second do.
// It is read from /proc for the server, for the bench cluster's PostgreSQL
// (the postmaster and its children, living or exited) and for this driver.

const clockTicks = 100 // USER_HZ: /proc counts CPU time in 1/100 s on Linux

type cpuTimes struct {
	haven, postgres, driver time.Duration
}

func (a cpuTimes) add(b cpuTimes) cpuTimes {
	return cpuTimes{a.haven + b.haven, a.postgres + b.postgres, a.driver + b.driver}
}

func (a cpuTimes) sub(b cpuTimes) cpuTimes {
	return cpuTimes{a.haven - b.haven, a.postgres - b.postgres, a.driver - b.driver}
}

// procStat reads utime, stime, cutime, cstime and the parent of a process.
func procStat(pid int) (self, children time.Duration, ppid int, err error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	rest := raw[bytes.LastIndexByte(raw, ')')+2:]
	f := strings.Fields(string(rest)) // f[0] is field 3 (state)
	if len(f) < 15 {
		return 0, 0, 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	num := func(i int) int64 { n, _ := strconv.ParseInt(f[i-3], 10, 64); return n }
	tick := time.Second / clockTicks
	return time.Duration(num(14)+num(15)) * tick, time.Duration(num(16)+num(17)) * tick, int(num(4)), nil
}

// cpuNow samples the three processes' CPU time.
func (b *bench) cpuNow(srv *server) cpuTimes {
	var t cpuTimes
	t.haven, _, _, _ = procStat(srv.pid())
	t.driver, _, _, _ = procStat(os.Getpid())
	if pm := b.postmasterPID(); pm > 0 {
		self, exited, _, _ := procStat(pm)
		t.postgres = self + exited
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if cpu, _, ppid, err := procStat(pid); err == nil && ppid == pm {
				t.postgres += cpu
			}
		}
	}
	return t
}

// postmasterPID reads the bench cluster's postmaster.pid.
func (b *bench) postmasterPID() int {
	f, err := os.Open(filepath.Join(b.cluster.DataDir(), "postmaster.pid"))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan()
	pid, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
	return pid
}
