package telco

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
)

// phoneAttempts bounds the Phone candidates a loader tries for one
// customer before giving up.
const phoneAttempts = 100

// LoadGo loads the plans through the Go API of svc and returns the id of
// each plan's customer, in the order of plans. It loads GOMAXPROCS
// customers at once: validation runs in parallel, and the customers' data
// does not depend on the order they land in. A phone number another
// customer already holds is replaced by the plan's next Phone candidate;
// any other failure stops the load.
func LoadGo(ctx context.Context, svc *app.Services, plans []Plan) ([]string, error) {
	ids := make([]string, len(plans))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range plans {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() (err error) {
			ids[i], err = loadGo(ctx, svc, &plans[i])
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ids, nil
}

// loadGo loads one plan and returns its customer's id.
func loadGo(ctx context.Context, svc *app.Services, p *Plan) (string, error) {
	c, err := createGo(ctx, svc.Customers, p)
	if err != nil {
		return "", err
	}
	for _, s := range p.Services {
		if _, err := svc.Customers.AddSubscription(ctx, c.ID, s); err != nil {
			return "", fmt.Errorf("telco: a service of %s: %w", p.Row.CustomerID, err)
		}
	}
	for _, b := range batches(p.Invoices) {
		if _, err := svc.Analytics.IngestInvoices(ctx, c.ID, b); err != nil {
			return "", fmt.Errorf("telco: the invoices of %s: %w", p.Row.CustomerID, err)
		}
	}
	for _, b := range batches(p.Payments) {
		if _, err := svc.Analytics.IngestPayments(ctx, c.ID, b); err != nil {
			return "", fmt.Errorf("telco: the payments of %s: %w", p.Row.CustomerID, err)
		}
	}
	return c.ID, nil
}

// createGo creates the plan's customer, moving to the next phone number
// while the one tried is taken.
func createGo(ctx context.Context, customers *customer.Service, p *Plan) (*customer.Customer, error) {
	for attempt := 1; ; attempt++ {
		c, err := customers.Create(ctx, p.Customer)
		if err == nil || attempt == phoneAttempts || !phoneTaken(crm.ErrorCode(err), crm.ErrorFields(err)) {
			if err != nil {
				return nil, fmt.Errorf("telco: creating %s: %w", p.Row.CustomerID, err)
			}
			return c, nil
		}
		p.Customer.Phone = Phone(p.Row.CustomerID, attempt)
	}
}

// phoneTaken reports whether a failed create is a conflict on the phone
// number alone.
func phoneTaken(code crm.Code, fields []crm.FieldError) bool {
	if code != crm.CodeConflict || len(fields) == 0 {
		return false
	}
	for _, f := range fields {
		if f.Field != "phone" {
			return false
		}
	}
	return true
}

// batches splits v into batches of at most analytics.MaxBatch records.
func batches[T any](v []T) [][]T {
	var out [][]T
	for len(v) > 0 {
		n := min(len(v), analytics.MaxBatch)
		out, v = append(out, v[:n]), v[n:]
	}
	return out
}

// errNoRows is returned when there is nothing to fit or evaluate.
var errNoRows = errors.New("telco: the file has no rows")
