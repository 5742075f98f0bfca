package verify_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/testkit"
	"github.com/ispstack/crm/store"
	"github.com/ispstack/crm/verify"
)

// start is the tests' initial clock.
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// fixture is a verify service over a store, with the customer service
// and a clock it shares, and a log the workers write to.
type fixture struct {
	st        store.Store
	clock     *testkit.Clock
	cipher    *customer.TaxIDCipher
	customers *customer.Service
	svc       *verify.Service
	log       *testkit.Buffer
}

// newFixture returns a fixture over st; tune adjusts the verify options
// (fast backoffs are already set).
func newFixture(t *testing.T, st store.Store, tune func(*verify.Options)) *fixture {
	t.Helper()
	cipher, err := customer.NewTaxIDCipher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, clock: testkit.NewClock(start), cipher: cipher, log: &testkit.Buffer{}}
	f.customers = customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{TaxIDs: cipher, Now: f.clock.Now})
	f.svc = f.newService(tune)
	return f
}

// newService returns another verify service over the fixture's store and
// clock: a second server's.
func (f *fixture) newService(tune func(*verify.Options)) *verify.Service {
	opts := verify.Options{TaxIDs: f.cipher, Now: f.clock.Now, CallBackoff: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(f.log, nil))}
	if tune != nil {
		tune(&opts)
	}
	return verify.NewService(f.st, store.Tx[verify.Repository](f.st), f.customers, opts)
}

// ctx is an agent's context.
func ctx(t *testing.T) context.Context {
	return crm.WithActor(t.Context(), crm.Actor{ID: "key-agent", RequestID: "req-1"})
}

// phones numbers the customers' phones and emails, which are unique.
var phones atomic.Int64

// newCustomer creates a customer of type typ (residential when "") named
// name with the tax id (none when "").
func (f *fixture) newCustomer(t *testing.T, name, taxID string, typ customer.Type) *customer.Customer {
	t.Helper()
	if typ == "" {
		typ = customer.TypeResidential
	}
	addr := customer.Address{Street: "212 north main street apartment 4", City: "white water", State: "wi", PostalCode: "53190", Country: "US"}
	n := phones.Add(1)
	in := customer.Input{Name: name, Email: fmt.Sprintf("c%d@example.com", n), Phone: fmt.Sprintf("+1212555%04d", n),
		Type: typ, BillingAddress: &addr}
	if taxID != "" {
		in.TaxID = &taxID
	}
	c, err := f.customers.Create(ctx(t), in)
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	return c
}

// process runs one round of f.svc's workers and fails t on error.
func (f *fixture) process(t *testing.T) int {
	t.Helper()
	n, err := f.svc.ProcessDue(ctx(t))
	if err != nil {
		t.Fatalf("ProcessDue: %v", err)
	}
	return n
}

// get returns the stored verification.
func (f *fixture) get(t *testing.T, customerID, id string) *verify.Verification {
	t.Helper()
	v, err := f.svc.Get(ctx(t), customerID, id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	return v
}

// audit returns the customer's audit entries of entity "verification"
// with the action, oldest first.
func (f *fixture) audit(t *testing.T, customerID, action string) []crm.AuditEntry {
	t.Helper()
	rows, err := f.st.ListAudit(t.Context(), customerID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []crm.AuditEntry
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Entity == "verification" && (action == "" || rows[i].Action == action) {
			out = append(out, rows[i])
		}
	}
	return out
}

// events returns the outbox events of the customer of type typ ("" for
// all).
func (f *fixture) events(t *testing.T, customerID, typ string) []crm.Event {
	t.Helper()
	all, err := f.st.ListEvents(t.Context(), "", 100000)
	if err != nil {
		t.Fatal(err)
	}
	var out []crm.Event
	for _, e := range all {
		if e.CustomerID == customerID && (typ == "" || e.Type == typ) {
			out = append(out, e)
		}
	}
	return out
}

// wantCode fails t unless err carries code.
func wantCode(t *testing.T, err error, code crm.Code, fields ...string) {
	t.Helper()
	if got := crm.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
	got := map[string]bool{}
	for _, fe := range crm.ErrorFields(err) {
		got[fe.Field] = true
	}
	for _, f := range fields {
		if !got[f] {
			t.Errorf("error %v does not name %s", err, f)
		}
	}
}

// thirdParty asks a third-party service to verify.
var thirdParty = verify.IdentityInput{Method: verify.MethodThirdPartyService, ThirdParty: verify.ThirdPartyExperian}
