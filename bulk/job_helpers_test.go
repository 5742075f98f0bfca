package bulk_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/testkit"
	"github.com/ispstack/crm/store"
)

// start is the tests' initial clock.
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// jobFixture is a bulk service over a store, with the customer service and
// the clock it shares.
type jobFixture struct {
	st        store.Store
	clock     *testkit.Clock
	customers *customer.Service
	svc       *bulk.Service
}

// newJobFixture returns a jobFixture over st whose batches hold two rows.
func newJobFixture(t *testing.T, st store.Store) *jobFixture {
	t.Helper()
	cipher, err := customer.NewTaxIDCipher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	f := &jobFixture{st: st, clock: testkit.NewClock(start)}
	f.customers = customer.NewService(st, store.Tx[customer.Repository](st), customer.Options{TaxIDs: cipher, Now: f.clock.Now})
	f.svc = f.newService(store.Tx[bulk.Repository](st))
	return f
}

// newService returns another bulk service over the jobFixture's store: a
// second server's, with its own transaction runner.
func (f *jobFixture) newService(inTx crm.TxFunc[bulk.Repository]) *bulk.Service {
	return bulk.NewService(f.st, inTx, f.customers, bulk.Options{BatchSize: 2, CreateBatchSize: 2, Now: f.clock.Now})
}

// ctx is an admin's context.
func ctx(t *testing.T) context.Context {
	return crm.WithActor(t.Context(), crm.Actor{ID: "key-admin", RequestID: "req-1"})
}

// submit submits an import of body and fails t on error.
func (f *jobFixture) submit(t *testing.T, req bulk.ImportRequest, body string) *bulk.Job {
	t.Helper()
	j, err := f.svc.SubmitImport(ctx(t), req, strings.NewReader(body))
	if err != nil {
		t.Fatalf("SubmitImport: %v", err)
	}
	return j
}

// drain runs the service's jobs until none is due and returns the job.
func (f *jobFixture) drain(t *testing.T, svc *bulk.Service, id string) *bulk.Job {
	t.Helper()
	for {
		n, err := svc.ProcessDue(ctx(t))
		if err != nil {
			t.Fatalf("ProcessDue: %v", err)
		}
		if n == 0 {
			break
		}
	}
	j, err := f.svc.Get(ctx(t), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// count is how many customers the store holds.
func (f *jobFixture) count(t *testing.T) int {
	t.Helper()
	n, err := f.st.CountCustomers(t.Context(), customer.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// csvHeader is the header of the tests' CSV files.
const csvHeader = "name,email,phone,customer_type,billing_address.street,billing_address.city,billing_address.state,billing_address.postal_code,billing_address.country,external_id,communication_preferences.marketing_emails,communication_preferences.outage_alerts\n"

// csvRow is a valid CSV row for customer i.
func csvRow(i int, email string) string {
	return "Customer " + string(rune('A'+i)) + "," + email + ",+1212555" + string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) +
		string(rune('0'+i/10%10)) + string(rune('0'+i%10)) + ",residential,1 Main St,Springfield,IL,62701,US,ext-" + string(rune('a'+i)) + ",true,true\n"
}
