package verify_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// countingIdentity is the sandbox, counting the calls per idempotency key.
type countingIdentity struct {
	mu   sync.Mutex
	keys map[string]int
}

func (p *countingIdentity) Verify(ctx context.Context, req verify.IdentityRequest) (verify.IdentityResult, error) {
	p.mu.Lock()
	if p.keys == nil {
		p.keys = map[string]int{}
	}
	p.keys[req.IdempotencyKey]++
	p.mu.Unlock()
	return verify.SandboxIdentity{}.Verify(ctx, req)
}

func (p *countingIdentity) calls(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.keys[key]
}

// stuckIdentity announces each call and then hangs, deaf to its context,
// until released: a worker whose process froze or died mid-call.
type stuckIdentity struct {
	started chan string
	release chan struct{}
}

func (p *stuckIdentity) Verify(ctx context.Context, req verify.IdentityRequest) (verify.IdentityResult, error) {
	p.started <- req.IdempotencyKey
	<-p.release
	return verify.SandboxIdentity{}.Verify(context.Background(), req)
}

// TestWorkerKilledMidVerification: a worker claims a verification and
// never comes back from the provider; once its lease ends another worker
// takes the verification over, with the same idempotency key, and
// finishes it. When the first one wakes up, its outcome is dropped: the
// verification finishes exactly once.
func TestWorkerKilledMidVerification(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		stuck := &stuckIdentity{started: make(chan string, 1), release: make(chan struct{})}
		f := newFixture(t, st, func(o *verify.Options) { o.Identity, o.CallTimeout = stuck, time.Hour })
		counting := &countingIdentity{}
		second := f.newService(func(o *verify.Options) { o.Identity = counting })
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}

		firstDone := make(chan error, 1)
		go func() { _, err := f.svc.ProcessDue(ctx(t)); firstDone <- err }()
		key := <-stuck.started
		if key != v.ID {
			t.Fatalf("idempotency key %q, want the verification id %s", key, v.ID)
		}
		held := f.get(t, c.ID, v.ID)
		if held.Status != verify.StatusInProgress || held.Job.ClaimedBy == "" || held.Job.Claims != 1 {
			t.Fatalf("claimed: %+v", held.Job)
		}

		// Within the lease nobody else touches it.
		if n, err := second.ProcessDue(ctx(t)); err != nil || n != 0 {
			t.Fatalf("within the lease the second worker claimed %d (%v)", n, err)
		}
		f.clock.Add(verify.DefaultLease)
		if n, err := second.ProcessDue(ctx(t)); err != nil || n != 1 {
			t.Fatalf("after the lease the second worker claimed %d (%v), want 1", n, err)
		}
		if got := counting.calls(v.ID); got != 1 {
			t.Errorf("the second worker called the provider %d times with the key, want 1", got)
		}
		done := f.get(t, c.ID, v.ID)
		if done.Status != verify.StatusCompleted || done.Identity.Result.Decision != verify.DecisionApproved || done.Job.Claims != 2 {
			t.Fatalf("after takeover: %s %+v", done.Status, done.Job)
		}

		close(stuck.release)
		if err := <-firstDone; err != nil {
			t.Fatalf("first worker: %v", err)
		}
		after := f.get(t, c.ID, v.ID)
		if after.Version != done.Version || !after.UpdatedAt.Equal(done.UpdatedAt) {
			t.Errorf("the first worker wrote after losing its claim: version %d → %d", done.Version, after.Version)
		}
		if n := len(f.audit(t, c.ID, "complete")); n != 1 {
			t.Errorf("%d complete audit entries, want 1", n)
		}
		if n := len(f.events(t, c.ID, verify.EventCompleted)); n != 1 {
			t.Errorf("%d completed events, want 1", n)
		}
		if n := len(f.audit(t, c.ID, "start")); n != 2 {
			t.Errorf("%d start audit entries, want 2 (the claim and the takeover)", n)
		}
	})
}

// TestTwoWorkersRace: two servers' workers drain one queue at once; each
// verification is claimed by one of them and its provider called once.
func TestTwoWorkersRace(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		counting := &countingIdentity{}
		f := newFixture(t, st, func(o *verify.Options) { o.Identity, o.Workers = counting, 3 })
		other := f.newService(func(o *verify.Options) { o.Identity, o.Workers = counting, 3 })
		const n = 24
		var ids, owners []string
		for i := range n {
			c := f.newCustomer(t, "Racer "+string(rune('A'+i)), "", "")
			v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
			if err != nil {
				t.Fatal(err)
			}
			ids, owners = append(ids, v.ID), append(owners, c.ID)
		}
		var claimed atomic.Int64
		var wg sync.WaitGroup
		for _, svc := range []*verify.Service{f.svc, other} {
			wg.Go(func() {
				for {
					k, err := svc.ProcessDue(ctx(t))
					if err != nil {
						t.Errorf("ProcessDue: %v", err)
						return
					}
					if k == 0 {
						return
					}
					claimed.Add(int64(k))
				}
			})
		}
		wg.Wait()
		if got := claimed.Load(); got != n {
			t.Errorf("claimed %d in all, want %d", got, n)
		}
		for i, id := range ids {
			if got := counting.calls(id); got != 1 {
				t.Errorf("verification %d: provider called %d times, want 1", i, got)
			}
			if v := f.get(t, owners[i], id); v.Status != verify.StatusCompleted || v.Job.Claims != 1 {
				t.Errorf("verification %d: %s after %d claims", i, v.Status, v.Job.Claims)
			}
			if k := len(f.events(t, owners[i], verify.EventCompleted)); k != 1 {
				t.Errorf("verification %d: %d completed events", i, k)
			}
		}
	})
}

// failingIdentity fails every call with a transient error.
type failingIdentity struct{ calls atomic.Int64 }

func (p *failingIdentity) Verify(context.Context, verify.IdentityRequest) (verify.IdentityResult, error) {
	p.calls.Add(1)
	return verify.IdentityResult{}, &verify.ProviderError{Provider: "test", Code: verify.CodeUnavailable, Transient: true}
}

// TestRetriesThenFailure: a provider that keeps failing is called
// CallsPerClaim times per claim, the verification waits RetryDelay
// (doubling) between claims and fails after MaxAttempts calls.
func TestRetriesThenFailure(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		p := &failingIdentity{}
		f := newFixture(t, st, func(o *verify.Options) {
			o.Identity, o.CallsPerClaim, o.MaxAttempts, o.RetryDelay, o.BreakerFailures = p, 2, 6, time.Minute, 100
		})
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		for claim, wait := range []time.Duration{time.Minute, 2 * time.Minute} {
			f.process(t)
			got := f.get(t, c.ID, v.ID)
			if got.Status != verify.StatusPending || got.Job.LastError != verify.CodeUnavailable ||
				got.Job.Attempts != 2*(claim+1) || got.Job.DueAt == nil || !got.Job.DueAt.Equal(f.clock.Now().Add(wait)) {
				t.Fatalf("after claim %d: %s %+v", claim+1, got.Status, got.Job)
			}
			if n := f.process(t); n != 0 {
				t.Fatalf("claimed %d before the retry was due", n)
			}
			f.clock.Add(wait)
		}
		f.process(t)
		got := f.get(t, c.ID, v.ID)
		if got.Status != verify.StatusFailed || got.Job.Attempts != 6 || p.calls.Load() != 6 || got.Job.DueAt != nil {
			t.Fatalf("after the last claim: %s %+v, %d calls", got.Status, got.Job, p.calls.Load())
		}
		if r := got.Identity.Result; r == nil || r.Decision != verify.DecisionRejected || r.Reasons[0].Code != verify.CodeUnavailable {
			t.Fatalf("failed result %+v", r)
		}
		if n := len(f.events(t, c.ID, verify.EventRetryScheduled)); n != 2 {
			t.Errorf("%d retry events, want 2", n)
		}
		if n := len(f.events(t, c.ID, verify.EventFailed)); n != 1 {
			t.Errorf("%d failed events, want 1", n)
		}
	})
}

// hangingIdentity answers only when its context ends.
type hangingIdentity struct{ calls atomic.Int64 }

func (p *hangingIdentity) Verify(ctx context.Context, _ verify.IdentityRequest) (verify.IdentityResult, error) {
	p.calls.Add(1)
	<-ctx.Done()
	return verify.IdentityResult{}, ctx.Err()
}

// TestPerCallTimeout: a provider that does not answer is cut off after
// CallTimeout, and that counts as a provider timeout worth retrying.
func TestPerCallTimeout(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		p := &hangingIdentity{}
		f := newFixture(t, st, func(o *verify.Options) { o.Identity, o.CallTimeout, o.CallsPerClaim = p, 20*time.Millisecond, 2 })
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		f.process(t)
		got := f.get(t, c.ID, v.ID)
		if got.Status != verify.StatusPending || got.Job.LastError != verify.CodeTimeout || got.Job.Attempts != 2 || p.calls.Load() != 2 {
			t.Fatalf("after timeouts: %s %+v, %d calls", got.Status, got.Job, p.calls.Load())
		}
	})
}

// TestCircuitBreaker: after BreakerFailures transient failures in a row
// the provider is left alone (no call; the verification waits without
// the claim counting) until the cooldown passed; then one call closes the
// breaker again.
func TestCircuitBreaker(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		p := &switchableIdentity{}
		p.failing.Store(true)
		f := newFixture(t, st, func(o *verify.Options) {
			o.Identity, o.CallsPerClaim, o.BreakerFailures, o.BreakerCooldown = p, 3, 3, 200*time.Millisecond
			// One at a time: a half-open breaker lets one trial call
			// through, and refuses a second made meanwhile.
			o.Workers = 1
		})
		a, b := f.newCustomer(t, "Ada Lovelace", "", ""), f.newCustomer(t, "Grace Hopper", "", "")
		va, err := f.svc.StartIdentity(ctx(t), a.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		f.process(t) // three failures: the breaker opens
		if got := p.calls.Load(); got != 3 {
			t.Fatalf("%d calls, want 3", got)
		}
		vb, err := f.svc.StartIdentity(ctx(t), b.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		f.process(t)
		if got := p.calls.Load(); got != 3 {
			t.Fatalf("the open breaker let %d calls through", got-3)
		}
		got := f.get(t, b.ID, vb.ID)
		if got.Status != verify.StatusPending || got.Job.LastError != verify.CodeCircuitOpen || got.Job.Claims != 0 || got.Job.Attempts != 0 ||
			!got.Job.DueAt.Equal(f.clock.Now().Add(200*time.Millisecond)) {
			t.Fatalf("refused by the breaker: %s %+v", got.Status, got.Job)
		}

		p.failing.Store(false)
		time.Sleep(250 * time.Millisecond) // the breaker's own clock is real time
		f.clock.Add(time.Hour)
		f.process(t)
		f.process(t)
		for _, x := range []struct{ customer, id string }{{a.ID, va.ID}, {b.ID, vb.ID}} {
			if v := f.get(t, x.customer, x.id); v.Status != verify.StatusCompleted {
				t.Errorf("after the cooldown %s is %s %+v", x.id, v.Status, v.Job)
			}
		}
	})
}

// switchableIdentity is the sandbox, or a transient failure while failing.
type switchableIdentity struct {
	failing atomic.Bool
	calls   atomic.Int64
}

func (p *switchableIdentity) Verify(ctx context.Context, req verify.IdentityRequest) (verify.IdentityResult, error) {
	p.calls.Add(1)
	if p.failing.Load() {
		return verify.IdentityResult{}, &verify.ProviderError{Provider: "test", Code: verify.CodeUnavailable, Transient: true}
	}
	return verify.SandboxIdentity{}.Verify(ctx, req)
}

// TestShutdownReleases: a worker stopped while the provider has not
// answered gives the verification back at once, for another worker.
func TestShutdownReleases(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		p := &hangingIdentity{}
		f := newFixture(t, st, func(o *verify.Options) { o.Identity = p })
		c := f.newCustomer(t, "Ada Lovelace", "", "")
		v, err := f.svc.StartIdentity(ctx(t), c.ID, thirdParty)
		if err != nil {
			t.Fatal(err)
		}
		stop, cancel := context.WithCancel(ctx(t))
		go func() {
			for p.calls.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		if _, err := f.svc.ProcessDue(stop); err != nil {
			t.Fatal(err)
		}
		got := f.get(t, c.ID, v.ID)
		if got.Status != verify.StatusPending || got.Job.ClaimedBy != "" || got.Job.DueAt == nil || !got.Job.DueAt.Equal(f.clock.Now()) {
			t.Fatalf("after shutdown: %s %+v", got.Status, got.Job)
		}
		if n := len(f.audit(t, c.ID, "release")); n != 1 {
			t.Errorf("%d release entries, want 1", n)
		}
		if n := len(f.events(t, c.ID, verify.EventReleased)); n != 1 {
			t.Errorf("%d released events, want 1", n)
		}
	})
}

// stuckBureau announces each check and hangs until released.
type stuckBureau struct {
	started chan string
	release chan struct{}
}

func (p *stuckBureau) Check(ctx context.Context, req verify.CreditRequest) (verify.CreditReport, error) {
	p.started <- req.IdempotencyKey
	<-p.release
	return verify.SandboxBureau{}.Check(context.Background(), req)
}

// TestCreditCheckTakenOver: the server running a credit check for its
// caller stalls; a worker takes the check over after the lease, with the
// same idempotency key, and stores the score once; the stalled caller
// then answers with that outcome.
func TestCreditCheckTakenOver(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		stuck := &stuckBureau{started: make(chan string, 1), release: make(chan struct{})}
		f := newFixture(t, st, func(o *verify.Options) { o.Bureau, o.CallTimeout = stuck, time.Hour })
		worker := f.newService(nil)
		c := f.newCustomer(t, "Ada Lovelace", "123-45-6789", "")
		type answer struct {
			v   *verify.Verification
			err error
		}
		answered := make(chan answer, 1)
		go func() {
			v, err := f.svc.CheckCredit(ctx(t), c.ID, verify.CreditInput{Bureau: verify.BureauExperian, CheckType: verify.CheckHard, Consent: true})
			answered <- answer{v, err}
		}()
		key := <-stuck.started
		f.clock.Add(verify.DefaultLease)
		if n, err := worker.ProcessDue(ctx(t)); err != nil || n != 1 {
			t.Fatalf("takeover claimed %d (%v)", n, err)
		}
		got, err := f.customers.Get(ctx(t), c.ID)
		if err != nil || got.CreditScore == nil || *got.CreditScore != 538 {
			t.Fatalf("score after takeover %v (%v)", got.CreditScore, err)
		}
		close(stuck.release)
		a := <-answered
		if a.err != nil || a.v.ID != key || a.v.Status != verify.StatusCompleted || a.v.Job.Claims != 2 {
			t.Fatalf("caller's answer %+v (%v), key %s", a.v, a.err, key)
		}
		if n := len(f.events(t, c.ID, verify.EventCompleted)); n != 1 {
			t.Errorf("%d completed events, want 1", n)
		}
		if n := len(auditOf(t, f, c.ID, "customer", "update")); n != 1 {
			t.Errorf("the score was written %d times, want 1", n)
		}
	})
}
