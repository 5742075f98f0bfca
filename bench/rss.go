package main

import (
	"bufio"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The servers run in this process, so the memory a bulk phase costs the
// server is the growth of this process's resident set: the server, the
// client driving it and (comms) the receiver together, an upper bound of
// the server's own. The bench streams its files from disk, so they do not
// count.

// rssWatch measures how far the resident set grows over a phase: from
// VmRSS at its start, after a garbage collection that returns the freed
// memory to the system (so memory the process held before cannot hide
// the phase's), to the peak. The peak is VmHWM, reset to the current RSS
// at the start through /proc/self/clear_refs; where that reset fails,
// the largest VmRSS sampled every 50 ms.
type rssWatch struct {
	base     int64 // bytes
	hwmReset bool
	mu       sync.Mutex
	sampled  int64
	stop     chan struct{}
	done     chan struct{}
}

// rssResult is what an rssWatch measured.
type rssResult struct {
	base, peak int64 // bytes
	// how says where the peak came from.
	how string
}

// growth is the peak above the base.
func (r rssResult) growth() int64 { return max(0, r.peak-r.base) }

// watchRSS starts measuring.
func watchRSS() *rssWatch {
	debug.FreeOSMemory()
	w := &rssWatch{stop: make(chan struct{}), done: make(chan struct{})}
	w.hwmReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	w.base = procStatus("VmRSS")
	w.sampled = w.base
	go func() {
		defer close(w.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				rss := procStatus("VmRSS")
				w.mu.Lock()
				w.sampled = max(w.sampled, rss)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

// end stops the watch and returns its figures.
func (w *rssWatch) end() rssResult {
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	res := rssResult{base: w.base, peak: w.sampled, how: "largest VmRSS sampled every 50 ms"}
	if hwm := procStatus("VmHWM"); w.hwmReset && hwm > 0 {
		res.peak, res.how = max(hwm, w.sampled), "VmHWM, reset at the start"
	}
	return res
}

// procStatus reads a size field of /proc/self/status in bytes; 0 when
// unknown.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}

// mb formats bytes in MB (10^6).
func mb(b int64) string { return strconv.FormatFloat(float64(b)/1e6, 'f', 1, 64) + " MB" }
