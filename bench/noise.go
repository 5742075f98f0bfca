package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The machine is shared (builds and tests of other work run beside the
// benchmark), so each run records how much CPU went to processes that are
// not part of the measurement: neither this process, nor wrk, nor the
// Postgres processes serving it.
// A run with much foreign CPU is suspect, and the report says so.

// clockTicks is USER_HZ, the unit of /proc CPU times (100 on Linux).
const clockTicks = 100

// cpuSnapshot is the CPU time used so far, in clock ticks.
type cpuSnapshot struct {
	total uint64 // every CPU, busy time
	ours  uint64 // this process and the Postgres processes serving it
	ok    bool
}

// ourPostgres returns the ids of the Postgres processes that serve the
// benchmark: the backends connected to its database and the server's
// auxiliary processes. Backends of other databases (other work sharing the
// server) count as foreign. Nil means no Postgres process counts as ours.
var ourPostgres func() map[string]bool

// takeCPU reads /proc; ok is false where there is no /proc.
func takeCPU() cpuSnapshot {
	var pg map[string]bool
	if ourPostgres != nil {
		pg = ourPostgres()
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuSnapshot{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal …
	if len(f) < 8 || f[0] != "cpu" {
		return cpuSnapshot{}
	}
	var s cpuSnapshot
	for i, v := range f[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		if i == 3 || i == 4 || i >= 7 { // idle, iowait; steal and guests are not ours to count
			continue
		}
		s.total += n
	}
	self := strconv.Itoa(os.Getpid())
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		comm, err := os.ReadFile(d + "/comm")
		if err != nil {
			continue
		}
		pid := filepath.Base(d)
		if pid != self && !(strings.TrimSpace(string(comm)) == "postgres" && pg[pid]) {
			continue
		}
		s.ours += procCPU(pid)
	}
	s.ok = true
	return s
}

// procCPU is the CPU time process pid used so far, in clock ticks; 0 when
// it cannot be read (the process is gone).
func procCPU(pid string) uint64 {
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command: utime and stime are
	// the 14th and 15th fields of the whole line.
	_, rest, ok := strings.Cut(string(stat), ") ")
	if !ok {
		return 0
	}
	sf := strings.Fields(rest)
	if len(sf) < 13 {
		return 0
	}
	u, _ := strconv.ParseUint(sf[11], 10, 64)
	st, _ := strconv.ParseUint(sf[12], 10, 64)
	return u + st
}

// measured runs f and sets the foreign CPU of its result: the average
// number of cores other processes kept busy meanwhile (-1 when unknown).
// wrk, which exits before the second snapshot, reports its own CPU time.
func measured(f func() (*runResult, error)) (*runResult, error) {
	a := takeCPU()
	start := time.Now()
	r, err := f()
	if err != nil {
		return nil, err
	}
	b := takeCPU()
	r.foreign = -1
	if secs := time.Since(start).Seconds(); a.ok && b.ok && secs > 0 {
		other := float64(b.total-a.total)/clockTicks - float64(b.ours-a.ours)/clockTicks - r.toolCPU.Seconds()
		r.foreign = max(0, other/secs)
	}
	return r, nil
}

// quietWait is how long waitQuiet may wait before each run (before its
// warm-up); 0 disables it.
var quietWait time.Duration

// waitQuiet waits, at most quietWait, until other processes use less than
// a third of a core over a second, so a measured run does not start in the
// middle of someone else's build. It returns the foreign load it last saw.
func waitQuiet() float64 {
	if quietWait <= 0 {
		return -1
	}
	last := -1.0
	for deadline := time.Now().Add(quietWait); ; {
		a := takeCPU()
		time.Sleep(time.Second)
		b := takeCPU()
		if !a.ok || !b.ok {
			return -1
		}
		last = max(0, float64(b.total-a.total)/clockTicks-float64(b.ours-a.ours)/clockTicks)
		if last < 0.33 || time.Now().After(deadline) {
			return last
		}
	}
}
