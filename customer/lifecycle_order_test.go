package customer_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/store"
)

// ticker is a clock that advances one millisecond per reading, so every
// reading is distinct and the order of readings is the order of times. It
// yields the processor after each reading, so other goroutines run between
// a reading and what its caller does next.
type ticker struct {
	mu sync.Mutex
	t  time.Time
}

func (c *ticker) Now() time.Time {
	c.mu.Lock()
	c.t = c.t.Add(time.Millisecond)
	t := c.t
	c.mu.Unlock()
	runtime.Gosched()
	return t
}

// testLifecycleHistoryOrdered runs suspends and reactivates of one customer
// concurrently and checks that the status history, in time order, is a
// chain (each change starts where the one before ended) with strictly
// increasing times: a transition takes its time under the customer's lock,
// so time order is commit order.
func testLifecycleHistoryOrdered(t *testing.T, f *fixture) {
	ctx := context.Background()
	clock := &ticker{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	svc := customer.NewService(f.store, store.Tx[customer.Repository](f.store), customer.Options{Now: clock.Now})
	c, err := svc.Create(ctx, input(customer.TypeResidential))
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 8, 40
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				var err error
				if w%2 == 0 {
					_, err = svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonOther})
				} else {
					_, err = svc.Reactivate(ctx, c.ID, customer.ReactivateInput{})
				}
				if err != nil && crm.ErrorCode(err) != crm.CodeConflict {
					t.Errorf("worker %d: %v", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()

	history, err := svc.StatusHistory(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) < 3 {
		t.Fatalf("history has %d entries; the workers made too few transitions to test", len(history))
	}
	for i := 1; i < len(history); i++ {
		prev, cur := history[i-1], history[i]
		if cur.From != prev.To || !cur.At.After(prev.At) {
			t.Errorf("history[%d] = %s→%s at %s follows %s→%s at %s; want a chain in strictly increasing time",
				i, cur.From, cur.To, cur.At.Format(time.StampMilli), prev.From, prev.To, prev.At.Format(time.StampMilli))
		}
	}
	got, err := svc.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := history[len(history)-1]; last.To != got.Status {
		t.Errorf("history ends in %s, customer is %s", last.To, got.Status)
	}
	if got.Suspension != nil && !got.Suspension.Since.Equal(history[len(history)-1].At) {
		t.Errorf("suspension since %s, history says %s", got.Suspension.Since, history[len(history)-1].At)
	}
}
