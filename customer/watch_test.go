package customer_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// recorder is a Watcher that notes the customers it is told of and fails
// while fail is set. It reads the customer with the context it is given,
// which finds a customer being created only inside the creating
// transaction (the memory store would wait forever outside it).
type recorder struct {
	st   store.Store
	mu   sync.Mutex
	told []string
	fail error
}

func (w *recorder) CustomerChanged(ctx context.Context, id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail != nil {
		return w.fail
	}
	if _, err := w.st.GetCustomer(ctx, id); err != nil {
		return err
	}
	w.told = append(w.told, id)
	return nil
}

func (w *recorder) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.told
	w.told = nil
	return out
}

// TestWatchers checks on both stores that the watchers are told of every
// change to a customer's services or status, once per transaction, inside
// it; not of a create or an edit of the customer's own fields, nor of an
// edit that changes nothing; and that a watcher's error rolls the change
// back.
func TestWatchers(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := &recorder{st: st}
		clk := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
		svc := customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{Now: clk.Now,
			Watchers: []customer.Watcher{w}})
		told := func(step string, want ...string) {
			t.Helper()
			if diff := cmp.Diff(want, w.take()); diff != "" {
				t.Errorf("%s: told (-want +got):\n%s", step, diff)
			}
		}
		c, err := svc.Create(ctx, input(customer.TypeResidential))
		if err != nil {
			t.Fatal(err)
		}
		told("create")
		if _, err := svc.Update(ctx, c.ID, 0, func(in *customer.Input) error {
			in.Name = "Renamed"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		told("edit of the customer's fields")
		sub, err := svc.AddSubscription(ctx, c.ID, customer.SubscriptionInput{PlanName: "Fiber 500", Technology: customer.TechFiber,
			MonthlyPrice: price(6999), StartDate: date("2019-05-01")})
		if err != nil {
			t.Fatal(err)
		}
		told("add service", c.ID)
		if _, err := svc.UpdateSubscription(ctx, c.ID, sub.ID, 0, func(*customer.SubscriptionInput) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Update(ctx, c.ID, 0, func(*customer.Input) error { return nil }); err != nil {
			t.Fatal(err)
		}
		told("edits that change nothing")
		if _, err := svc.UpdateSubscription(ctx, c.ID, sub.ID, 0, func(in *customer.SubscriptionInput) error {
			in.MonthlyPrice = price(7999)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		told("service update", c.ID)
		until := clk.Now().Add(time.Hour)
		if _, err := svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonAbuse, Until: &until}); err != nil {
			t.Fatal(err)
		}
		told("suspend", c.ID)
		clk.Add(2 * time.Hour)
		if n, err := svc.ReactivateDue(ctx); err != nil || n != 1 {
			t.Fatalf("ReactivateDue = %d, %v", n, err)
		}
		told("scheduled reactivation", c.ID)

		boom := errors.New("watcher failed")
		w.fail = boom
		if _, err := svc.AddSubscription(ctx, c.ID, customer.SubscriptionInput{PlanName: "Voice", Technology: customer.TechFiber,
			MonthlyPrice: price(999), StartDate: date("2019-05-01")}); !errors.Is(err, boom) {
			t.Errorf("add service with a failing watcher: %v, want its error", err)
		}
		if _, err := svc.Suspend(ctx, c.ID, customer.SuspendInput{Reason: customer.ReasonAbuse}); !errors.Is(err, boom) {
			t.Errorf("suspend with a failing watcher: %v, want its error", err)
		}
		w.fail = nil
		got, err := svc.Get(ctx, c.ID)
		// Created, renamed, suspended and reactivated: version 4.
		if err != nil || got.Status != customer.StatusActive || got.Version != 4 {
			t.Errorf("after the failed suspension: %+v, %v; want it unchanged", got, err)
		}
		subs, err := st.ListSubscriptions(ctx, c.ID, "", 0)
		if err != nil || len(subs) != 1 {
			t.Errorf("services after the failed add: %d, %v; want 1", len(subs), err)
		}
	})
}
