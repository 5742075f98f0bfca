package crm_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ispstack/crm"
)

// TestPoll: work is followed at once by another round, idleness waits
// for the interval or a wake-up, and errors are reported.
func TestPoll(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	wake := make(chan struct{})
	rounds := make(chan int, 10)
	var failures []error
	n := 0
	done := make(chan struct{})
	go func() {
		crm.Poll(ctx, time.Hour, wake, func(context.Context) (int, error) {
			n++
			rounds <- n
			switch n {
			case 1, 2:
				return 1, nil // work: the next round follows at once
			case 3:
				return 0, errors.New("store down")
			}
			return 0, nil
		}, func(err error) { failures = append(failures, err) })
		close(done)
	}()
	for want := 1; want <= 3; want++ {
		if got := <-rounds; got != want {
			t.Fatalf("round %d, want %d", got, want)
		}
	}
	select {
	case got := <-rounds:
		t.Fatalf("round %d ran without waiting", got)
	case <-time.After(50 * time.Millisecond):
	}
	wake <- struct{}{}
	if got := <-rounds; got != 4 {
		t.Fatalf("after the wake-up: round %d", got)
	}
	cancel()
	<-done
	if len(failures) != 1 || failures[0].Error() != "store down" {
		t.Errorf("failures %v", failures)
	}
}
