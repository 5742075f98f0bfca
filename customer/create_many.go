package customer

import (
	"context"
	"runtime"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm"
)

// Creation is everything the creation of one customer writes: the
// customer, its first status history entry, its audit entry and its
// outbox event.
type Creation struct {
	Customer *Customer
	Status   *StatusChange
	Audit    *crm.AuditEntry
	Event    *crm.Event
}

// createManyChunk is how many inputs CreateMany writes at a time: the
// next chunk is validated and built while one is written. The first
// chunk, which nothing overlaps, is a quarter of that.
const createManyChunk = 500

// chunkEnd is where the chunk of CreateMany's n inputs that begins at
// start ends.
func chunkEnd(start, n int) int {
	if start == 0 {
		return min(createManyChunk/4, n)
	}
	return min(start+createManyChunk, n)
}

// CreateMany creates a customer from each input through r, the caller's
// transaction (a bulk import's batch), with the outcome of every input at
// its index: each is validated exactly as Create validates one, and an
// input whose email, phone or external id a stored customer or an
// earlier input of ins holds is a conflict naming the field, as Create
// would answer had they been created one after the other. The valid ones
// are written together, a chunk at a time (Repository.CreateCustomers).
// The error is the store's failure; then nothing may have been written.
func (s *Service) CreateMany(ctx context.Context, r Repository, ins []Input) ([]*Customer, []error, error) {
	now := s.clock()
	out := make([]*Customer, len(ins))
	errs := make([]error, len(ins))
	taken := map[string]bool{}
	var next <-chan []Creation
	if len(ins) > 0 {
		next = s.prepareAhead(ctx, ins[:chunkEnd(0, len(ins))], errs, now)
	}
	for start := 0; start < len(ins); start = chunkEnd(start, len(ins)) {
		end := chunkEnd(start, len(ins))
		built := <-next
		if end < len(ins) {
			// Validating and building (phone parsing, sealing, the
			// audit diff) is most of the CPU, and the store's write
			// mostly the database's: the next chunk's goes on meanwhile.
			next = s.prepareAhead(ctx, ins[end:chunkEnd(end, len(ins))], errs[end:], now)
		}
		// The checks against earlier inputs go in input order.
		var batch []Creation
		var at []int // the input index of each creation
		for k, cr := range built {
			i := start + k
			if errs[i] != nil {
				continue
			}
			if errs[i] = claimUnique(taken, cr.Customer); errs[i] != nil {
				continue
			}
			batch, at = append(batch, cr), append(at, i)
		}
		if err := s.createAll(ctx, r, batch, at, out, errs, now); err != nil {
			return nil, nil, err
		}
	}
	return out, errs, nil
}

// prepareAhead validates and builds the creation of each input in the
// background, on every core, into the channel it returns; an input that
// fails has its error at its index in errs instead (and a zero
// Creation).
func (s *Service) prepareAhead(ctx context.Context, ins []Input, errs []error, now time.Time) <-chan []Creation {
	ch := make(chan []Creation, 1)
	go func() {
		built := make([]Creation, len(ins))
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i := range ins {
			g.Go(func() error {
				c, err := s.prepare(ctx, ins[i], now)
				if err != nil {
					errs[i] = err
					return nil
				}
				built[i] = s.creation(ctx, c, now)
				return nil
			})
		}
		_ = g.Wait()
		ch <- built
	}()
	return ch
}

// createAll writes batch, whose creations are those of the inputs at, and
// sets each input's customer in out or its error in errs.
func (s *Service) createAll(ctx context.Context, r Repository, batch []Creation, at []int, out []*Customer, errs []error, now time.Time) error {
	for attempt := 1; len(batch) > 0; attempt++ {
		clashes, err := r.CreateCustomers(ctx, batch)
		if err != nil {
			return err
		}
		// Retry the creations whose random account number alone was
		// taken (vanishingly rare), with new numbers.
		var retry []Creation
		var retryAt []int
		for k, cr := range batch {
			switch i := at[k]; {
			case clashes[k] == nil:
				out[i] = cr.Customer
			case attempt < accountNumberAttempts && onlyAccountNumber(clashes[k]):
				if cr.Customer.AccountNumber, err = newAccountNumber(); err != nil {
					return err
				}
				retry, retryAt = append(retry, s.creation(ctx, cr.Customer, now)), append(retryAt, i)
			default:
				errs[i] = clashes[k]
			}
		}
		batch, at = retry, retryAt
	}
	return nil
}

// prepare validates in as Create does and builds the new customer, with
// its account number.
func (s *Service) prepare(_ context.Context, in Input, now time.Time) (*Customer, error) {
	in, err := normalize(in, crm.DateOf(now))
	if err != nil {
		return nil, err
	}
	c := &Customer{ID: crm.NewID(), Status: StatusActive, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.apply(c, in); err != nil {
		return nil, err
	}
	if c.AccountNumber, err = newAccountNumber(); err != nil {
		return nil, err
	}
	return c, nil
}

// creation is what creating c writes.
func (s *Service) creation(ctx context.Context, c *Customer, now time.Time) Creation {
	return Creation{Customer: c, Status: s.statusChange(ctx, c, "", StatusActive, now),
		Audit: crm.NewAuditEntry(ctx, c.ID, "customer", c.ID, "create", diffCustomers(nil, c), now),
		Event: newEvent(EventCreated, c, now)}
}

// claimUnique notes c's unique fields in taken, or returns the conflict
// with an earlier customer of the same batch that holds one.
func claimUnique(taken map[string]bool, c *Customer) error {
	keys := []struct{ field, key string }{{"email", "e:" + c.Email}, {"phone", "p:" + c.Phone}}
	if c.ExternalID != "" {
		keys = append(keys, struct{ field, key string }{"external_id", "x:" + c.ExternalID})
	}
	e := &crm.Error{Code: crm.CodeConflict, Message: "a customer with these details already exists"}
	for _, k := range keys {
		if taken[k.key] {
			e.Fields = append(e.Fields, crm.FieldError{Field: k.field, Message: "is already in use"})
		}
	}
	if len(e.Fields) > 0 {
		return e
	}
	for _, k := range keys {
		taken[k.key] = true
	}
	return nil
}

// onlyAccountNumber reports whether err is a conflict on the account
// number and nothing else.
func onlyAccountNumber(err error) bool {
	fields := crm.ErrorFields(err)
	return isCode(err, crm.CodeConflict) && len(fields) == 1 && fields[0].Field == "account_number"
}
