package verify

import (
	"context"
	"errors"
	"time"

	"github.com/ispstack/crm/customer"
)

// CodeNoTaxID is the failure code of a credit check whose customer has no
// tax id on file any more when the bureau is asked.
const CodeNoTaxID = "no_tax_id"

// workCredit asks the bureau about a claimed credit check and stores the
// report, with the score as the customer's credit_score, or the failure.
// A credit check is not retried later: someone waits for it, and the
// claim's own retries are all it gets.
func (s *Service) workCredit(ctx context.Context, held *Verification) error {
	c, err := s.repo.GetCustomer(ctx, held.CustomerID)
	if err != nil {
		return err
	}
	cr := held.Credit
	req := CreditRequest{IdempotencyKey: held.ID, CustomerID: held.CustomerID, Bureau: cr.Bureau,
		CheckType: cr.CheckType, Purpose: cr.Purpose, Name: c.Name, Address: addressOf(&c.BillingAddress),
		TaxID: s.taxID(c)}
	var rep CreditReport
	calls := 0
	if req.TaxID == "" {
		err = errNoTaxID
	} else {
		calls, err = s.call(ctx, "credit/"+string(cr.Bureau), func(ctx context.Context) (err error) {
			rep, err = s.opts.Bureau.Check(ctx, req)
			return err
		})
	}
	return s.finish(ctx, held, func(ctx context.Context, r Repository, v *Verification, now time.Time) (string, string, error) {
		v.Job.Attempts += calls
		switch {
		case err == nil:
			v.Status = StatusCompleted
			v.Job.ClaimedBy, v.Job.DueAt, v.Job.LastError = "", nil, ""
			v.Credit.Report = &rep
			v.Credit.CheckedAt = &now
			_, uerr := s.customers.UpdateIn(ctx, r, v.CustomerID, 0, func(in *customer.Input) error {
				in.CreditScore = rep.Score
				return nil
			})
			return actionComplete, EventCompleted, uerr
		case ctx.Err() != nil:
			v.Job.Attempts -= calls
			a, t := release(v, calls, now)
			return a, t, nil
		case errors.Is(err, errNoTaxID):
			failVerification(v, CodeNoTaxID, "the customer has no tax id on file", now)
		default:
			code, msg := failure(err)
			failVerification(v, code, msg, now)
		}
		return actionFail, EventFailed, nil
	})
}

// errNoTaxID: a credit check reached a worker without a tax id to send.
var errNoTaxID = errors.New("verify: no tax id on file")
