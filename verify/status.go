package verify

import (
	"context"
	"time"

	"github.com/ispstack/crm"
)

// Overall is a customer's verification standing, from its latest identity
// verification.
type Overall string

// The overall statuses.
const (
	// OverallUnverified: no identity verification yet.
	OverallUnverified Overall = "unverified"
	// OverallPending: the latest is open (queued, running or in review).
	OverallPending Overall = "pending"
	// OverallVerified: the latest was approved and has not expired.
	OverallVerified Overall = "verified"
	// OverallFailed: the latest was rejected or failed.
	OverallFailed Overall = "failed"
	// OverallExpired: the latest was approved longer ago than
	// Options.IdentityValidFor.
	OverallExpired Overall = "expired"
)

// OverallOf is the standing that the latest identity verification (nil
// for none) gives at now.
func OverallOf(latest *Verification, now time.Time) Overall {
	switch {
	case latest == nil || latest.Identity == nil:
		return OverallUnverified
	case latest.Status.Open():
		return OverallPending
	case latest.Status == StatusFailed || latest.Identity.Result == nil || latest.Identity.Result.Decision != DecisionApproved:
		return OverallFailed
	case latest.Identity.Result.ExpiresAt != nil && !now.Before(*latest.Identity.Result.ExpiresAt):
		return OverallExpired
	}
	return OverallVerified
}

// StatusReport is a customer's verification status: the overall standing,
// the latest of each kind and a page of the whole history, newest first.
type StatusReport struct {
	CustomerID string        `json:"customer_id"`
	Overall    Overall       `json:"overall"`
	Identity   *IdentityView `json:"identity"`
	Credit     *CreditView   `json:"credit"`
	Address    AddressStatus `json:"address"`
	// History is one page of every verification, each a View.
	History    []any   `json:"history"`
	NextCursor *string `json:"next_cursor"`
	HasMore    bool    `json:"has_more"`
}

// AddressStatus is the latest verification of each stored address (nil
// for none).
type AddressStatus struct {
	Billing *AddressView `json:"billing"`
	Service *AddressView `json:"service"`
}

// Status reports the customer's verifications: limit (1–200, 0 for the
// default) history entries after cursor (the next_cursor of the page
// before, "" for the first). Errors: not_found, invalid (limit, cursor).
func (s *Service) Status(ctx context.Context, customerID, cursor string, limit int) (*StatusReport, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	limit, err := crm.PageLimit(limit, cursor)
	if err != nil {
		return nil, err
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	latest := func(kind Kind, subject string) (*Verification, error) {
		v, err := s.repo.LatestVerification(ctx, customerID, kind, subject, "")
		if crm.ErrorCode(err) == crm.CodeNotFound {
			return nil, nil
		}
		return v, err
	}
	rep := &StatusReport{CustomerID: customerID}
	identity, err := latest(KindIdentity, "")
	if err != nil {
		return nil, err
	}
	rep.Overall = OverallOf(identity, s.clock())
	if identity != nil {
		rep.Identity = identity.IdentityView()
	}
	if v, err := latest(KindCredit, ""); err != nil {
		return nil, err
	} else if v != nil {
		rep.Credit = v.CreditView()
	}
	for _, a := range []struct {
		subject string
		view    **AddressView
	}{{AddressBilling, &rep.Address.Billing}, {AddressService, &rep.Address.Service}} {
		if v, err := latest(KindAddress, a.subject); err != nil {
			return nil, err
		} else if v != nil {
			*a.view = v.AddressView()
		}
	}
	rows, err := s.repo.ListVerifications(ctx, customerID, cursor, limit+1)
	if err != nil {
		return nil, err
	}
	page := crm.NewPage(rows, limit, func(v *Verification) string { return v.ID })
	rep.History = make([]any, len(page.Items))
	for i := range page.Items {
		rep.History[i] = page.Items[i].View()
	}
	if page.HasMore {
		rep.NextCursor, rep.HasMore = &page.NextCursor, true
	}
	return rep, nil
}

// EraseCustomer deletes every verification of the customer: a
// customer.Eraser, run inside the transaction that deletes the customer
// (ctx carries it). What remains is the audit trail and the outbox, which
// never held personal data of a verification.
func (s *Service) EraseCustomer(ctx context.Context, customerID string) error {
	return s.repo.DeleteVerificationsOf(ctx, customerID)
}
