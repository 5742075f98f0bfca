package customer

import (
	"context"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// SubscriptionInput holds the writable fields of a service (Subscription). Its
// JSON form is the document a PATCH merge patch applies to.
type SubscriptionInput struct {
	PlanName          string             `json:"plan_name"`
	ServiceType       ServiceType        `json:"service_type,omitempty"`
	Technology        Technology         `json:"technology,omitempty"`
	Status            SubscriptionStatus `json:"status,omitempty"`
	MonthlyPrice      *crm.Money         `json:"monthly_price"`
	ContractTerm      ContractTerm       `json:"contract_term,omitempty"`
	StartDate         *crm.Date          `json:"start_date"`
	EndDate           *crm.Date          `json:"end_date"`
	BandwidthDownMbps int                `json:"bandwidth_down_mbps"`
	BandwidthUpMbps   int                `json:"bandwidth_up_mbps"`
	ServiceAddress    *Address           `json:"service_address"`
}

// Service field limits.
const (
	maxPlanName  = 100
	maxBandwidth = 1_000_000 // Mbps: 1 Tbps
	maxPrice     = crm.Money(100_000_000)
)

// SubscriptionInputOf returns the writable fields of sub.
func SubscriptionInputOf(sub *Subscription) SubscriptionInput {
	price, start := sub.MonthlyPrice, sub.StartDate
	in := SubscriptionInput{
		PlanName: sub.PlanName, ServiceType: sub.ServiceType, Technology: sub.Technology, Status: sub.Status, MonthlyPrice: &price,
		ContractTerm: sub.ContractTerm, StartDate: &start, BandwidthDownMbps: sub.BandwidthDownMbps,
		BandwidthUpMbps: sub.BandwidthUpMbps, ServiceAddress: cloneAddress(sub.ServiceAddress),
	}
	if sub.EndDate != nil {
		e := *sub.EndDate
		in.EndDate = &e
	}
	return in
}

// normalizeSubscription validates a service input and applies defaults
// (internet, status active, month-to-month). Internet access requires a
// technology; the other types may name one.
func normalizeSubscription(in SubscriptionInput) (SubscriptionInput, error) {
	var p crm.Problems
	in.PlanName = valid.Text(&p, "plan_name", in.PlanName, 1, maxPlanName)
	if in.ServiceType == "" {
		in.ServiceType = ServiceInternet
	} else if !slices.Contains(ServiceTypes, in.ServiceType) {
		p.Add("service_type", valid.EnumMessage(false, ServiceTypes))
	}
	if (in.Technology != "" || in.ServiceType == ServiceInternet) && !slices.Contains(Technologies, in.Technology) {
		p.Add("technology", valid.EnumMessage(in.Technology == "", Technologies))
	}
	if in.Status == "" {
		in.Status = SubscriptionActive
	} else if !slices.Contains(SubscriptionStatuses, in.Status) {
		p.Add("status", valid.EnumMessage(false, SubscriptionStatuses))
	}
	if in.ContractTerm == "" {
		in.ContractTerm = TermMonthToMonth
	} else if !slices.Contains(ContractTerms, in.ContractTerm) {
		p.Add("contract_term", valid.EnumMessage(false, ContractTerms))
	}
	switch {
	case in.MonthlyPrice == nil:
		p.Add("monthly_price", "is required")
	case *in.MonthlyPrice < 0 || *in.MonthlyPrice > maxPrice:
		p.Addf("monthly_price", "must be between 0 and %s", maxPrice)
	}
	startOK := in.StartDate != nil && !in.StartDate.IsZero()
	if !startOK {
		p.Add("start_date", "is required")
	} else {
		startOK = valid.Date(&p, "start_date", *in.StartDate)
	}
	if in.EndDate != nil && valid.Date(&p, "end_date", *in.EndDate) && startOK && in.EndDate.Before(*in.StartDate) {
		p.Add("end_date", "must not be before start_date")
	}
	for _, b := range []struct {
		name string
		v    int
	}{{"bandwidth_down_mbps", in.BandwidthDownMbps}, {"bandwidth_up_mbps", in.BandwidthUpMbps}} {
		if b.v < 0 || b.v > maxBandwidth {
			p.Addf(b.name, "must be between 0 and %d", maxBandwidth)
		}
	}
	if in.ServiceAddress != nil {
		in.ServiceAddress = address(&p, "service_address", in.ServiceAddress)
	}
	return in, p.Err()
}

// AddSubscription records a service of the customer; start dates in the past are
// accepted (loading history). A service added as active to a suspended
// customer is stored suspended with it. Errors: not_found, invalid.
func (s *Service) AddSubscription(ctx context.Context, customerID string, in SubscriptionInput) (*Subscription, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	in, err := normalizeSubscription(in)
	if err != nil {
		return nil, err
	}
	var sub *Subscription
	err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
		c, err := r.LockCustomer(ctx, customerID)
		if err != nil {
			return err
		}
		now := s.clock() // after the lock, so times follow the order of writes
		sub = &Subscription{ID: crm.NewID(), CustomerID: customerID, Version: 1, CreatedAt: now, UpdatedAt: now}
		applySubscription(sub, in)
		if c.Status == StatusSuspended && sub.Status == SubscriptionActive {
			sub.Status, sub.SuspendedWithCustomer = SubscriptionSuspended, true
		}
		if err := r.CreateSubscription(ctx, sub); err != nil {
			return err
		}
		return r.InsertAudit(ctx, crm.NewAuditEntry(ctx, customerID, "service", sub.ID, "create", crm.Diff(nil, sub, maskCustomerField), now))
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// ReplaceSubscription overwrites the writable fields of a service with in.
// It is UpdateSubscription with an edit that sets the input to in, so the
// same rules hold. Errors: not_found (also under another customer),
// precondition_failed, invalid, conflict.
func (s *Service) ReplaceSubscription(ctx context.Context, customerID, id string, in SubscriptionInput, ifVersion int64) (*Subscription, error) {
	return s.UpdateSubscription(ctx, customerID, id, ifVersion, func(cur *SubscriptionInput) error {
		*cur = in
		return nil
	})
}

// UpdateSubscription changes a service in one transaction: under the
// customer's lock it reads the service, checks ifVersion (0: no condition)
// against its version, calls edit with its writable fields
// (SubscriptionInputOf), validates the result as on add and writes it. A
// cancelled service stays cancelled, and a service of a suspended customer
// cannot be made active. edit may change the input in place or replace it
// wholesale; its error is returned as is and nothing is written. An edit
// that changes nothing writes nothing and returns the stored service.
// Errors: not_found (also under another customer), precondition_failed,
// invalid, conflict, and edit's.
func (s *Service) UpdateSubscription(ctx context.Context, customerID, id string, ifVersion int64, edit func(*SubscriptionInput) error) (*Subscription, error) {
	if !crm.ValidID(customerID) || !crm.ValidID(id) {
		return nil, crm.NotFound("service")
	}
	var out *Subscription
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		c, err := r.LockCustomer(ctx, customerID)
		if err != nil {
			return err
		}
		before, err := r.GetSubscription(ctx, customerID, id)
		if err != nil {
			return err
		}
		if err := crm.CheckVersion("service", before.Version, ifVersion); err != nil {
			return err
		}
		in := SubscriptionInputOf(before)
		if err := edit(&in); err != nil {
			return err
		}
		if in, err = normalizeSubscription(in); err != nil {
			return err
		}
		if before.Status == SubscriptionCancelled && in.Status != SubscriptionCancelled {
			return crm.Errorf(crm.CodeConflict, "a cancelled service cannot become %s; add a new service", in.Status)
		}
		if c.Status == StatusSuspended && in.Status == SubscriptionActive && before.Status != SubscriptionActive {
			return crm.Errorf(crm.CodeConflict, "the customer is suspended; reactivate the customer first")
		}
		after := *before
		applySubscription(&after, in)
		if in.Status != before.Status {
			after.SuspendedWithCustomer = false
		}
		now := s.clock()
		if after.Status == SubscriptionCancelled && after.EndDate == nil {
			today := crm.DateOf(now)
			after.EndDate = &today
		}
		changes := crm.Diff(before, &after, maskCustomerField)
		if len(changes) == 0 {
			out = before
			return nil
		}
		after.Version++
		after.UpdatedAt = now
		if err := r.UpdateSubscription(ctx, &after); err != nil {
			return err
		}
		out = &after
		return r.InsertAudit(ctx, crm.NewAuditEntry(ctx, customerID, "service", id, "update", changes, now))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetSubscription returns one service of the customer. Errors: not_found (also
// when the customer is deleted or the service belongs to another customer).
func (s *Service) GetSubscription(ctx context.Context, customerID, serviceID string) (*Subscription, error) {
	if !crm.ValidID(serviceID) {
		return nil, crm.NotFound("service")
	}
	if _, err := s.Get(ctx, customerID); err != nil {
		return nil, err
	}
	return s.repo.GetSubscription(ctx, customerID, serviceID)
}

// ListSubscriptions returns a page of the customer's services, oldest first.
// cursor is the NextCursor of the previous page. Errors: not_found, invalid.
func (s *Service) ListSubscriptions(ctx context.Context, customerID, cursor string, limit int) (*crm.Page[Subscription], error) {
	limit, err := crm.PageLimit(limit, cursor)
	if err != nil {
		return nil, err
	}
	if _, err := s.Get(ctx, customerID); err != nil {
		return nil, err
	}
	rows, err := s.repo.ListSubscriptions(ctx, customerID, cursor, limit+1)
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(last *Subscription) string { return last.ID }), nil
}

func applySubscription(sub *Subscription, in SubscriptionInput) {
	sub.PlanName, sub.ServiceType, sub.Technology, sub.Status = in.PlanName, in.ServiceType, in.Technology, in.Status
	sub.MonthlyPrice, sub.ContractTerm, sub.StartDate = *in.MonthlyPrice, in.ContractTerm, *in.StartDate
	sub.EndDate = in.EndDate
	sub.BandwidthDownMbps, sub.BandwidthUpMbps = in.BandwidthDownMbps, in.BandwidthUpMbps
	sub.ServiceAddress = in.ServiceAddress
}
