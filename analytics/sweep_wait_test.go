package analytics

import (
	"errors"
	"testing"
	"time"
)

// TestSweepWait checks how long RunSweeps waits between sweeps: until the
// next round is due, at least a second, at most the interval, and a
// minute (at most the interval) after a failure.
func TestSweepWait(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name     string
		next     time.Time
		err      error
		interval time.Duration
		want     time.Duration
	}{
		{"due later", now.Add(40 * time.Minute), nil, time.Hour, 40 * time.Minute},
		{"due now", now, nil, time.Hour, time.Second},
		{"overdue", now.Add(-time.Hour), nil, time.Hour, time.Second},
		{"beyond the interval", now.Add(3 * time.Hour), nil, time.Hour, time.Hour},
		{"failed", now.Add(40 * time.Minute), errors.New("down"), time.Hour, time.Minute},
		{"failed, short interval", now, errors.New("down"), 10 * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		if got := sweepWait(SweepStats{Next: tt.next}, tt.err, now, tt.interval); got != tt.want {
			t.Errorf("%s: wait %v, want %v", tt.name, got, tt.want)
		}
	}
}
