package customer

import (
	"context"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// SuspendInput says why and for how long a customer is suspended.
type SuspendInput struct {
	Reason SuspensionReason `json:"reason"`
	Notes  string           `json:"notes,omitempty"`
	// Until, when set, must be in the future and on or before
	// crm.MaxDate: the customer is reactivated automatically then (by
	// ReactivateDue).
	Until *time.Time `json:"until,omitempty"`
	// IfVersion, when non-zero, must equal the stored version (If-Match).
	IfVersion int64 `json:"-"`
}

// ReactivateInput lifts a suspension.
type ReactivateInput struct {
	Notes string `json:"notes,omitempty"`
	// Override lifts a non-payment suspension although a balance is owed;
	// only administrators may set it (checked by the caller).
	Override bool `json:"override,omitempty"`
	// IfVersion, when non-zero, must equal the stored version (If-Match).
	IfVersion int64 `json:"-"`
}

// maxHistory bounds the status history returned at once.
const maxHistory = 500

// Suspend moves an active customer to suspended, suspending its active
// services with it. Errors: not_found, invalid (reason, notes, until),
// precondition_failed, conflict (not active).
func (s *Service) Suspend(ctx context.Context, id string, in SuspendInput) (*Customer, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("customer")
	}
	in, err := s.CheckSuspend(in)
	if err != nil {
		return nil, err
	}
	var out *Customer
	err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := r.LockCustomer(ctx, id)
		if err != nil {
			return err
		}
		// Read under the lock, so the history of one customer is in the
		// order its transitions committed.
		now := s.clock()
		if err := crm.CheckVersion("customer", before.Version, in.IfVersion); err != nil {
			return err
		}
		if before.Status != StatusActive {
			return crm.Errorf(crm.CodeConflict, "cannot suspend a %s customer", before.Status)
		}
		after := clone(before)
		after.Status = StatusSuspended
		after.Suspension = &Suspension{Reason: in.Reason, Notes: in.Notes, Since: now, Until: in.Until}
		n, err := r.SuspendSubscriptions(ctx, id, now)
		if err != nil {
			return err
		}
		out, err = s.transition(ctx, r, before, after, "suspend", EventSuspended, now, countChange("services.suspended", n)...)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CheckSuspend validates a suspension as Suspend does before it looks at
// the customer, and returns it normalised (trimmed notes, until as
// stored), for callers that check once and suspend many customers.
// Errors: invalid (reason, notes, until).
func (s *Service) CheckSuspend(in SuspendInput) (SuspendInput, error) {
	var p crm.Problems
	if in.Reason == "" {
		p.Add("reason", valid.EnumMessage(true, SuspensionReasons))
	} else if !slices.Contains(SuspensionReasons, in.Reason) {
		p.Add("reason", valid.EnumMessage(false, SuspensionReasons))
	}
	in.Notes = valid.Lines(&p, "notes", in.Notes, 0, maxNotes)
	if in.Until != nil {
		u := crm.StoredTime(*in.Until)
		if valid.Time(&p, "until", u) && !u.After(s.clock()) {
			p.Add("until", "must be in the future")
		}
		in.Until = &u
	}
	return in, p.Err()
}

// CheckReactivate validates a reactivation as Reactivate does before it
// looks at the customer, and returns it normalised. Errors: invalid
// (notes).
func CheckReactivate(in ReactivateInput) (ReactivateInput, error) {
	var p crm.Problems
	in.Notes = valid.Lines(&p, "notes", in.Notes, 0, maxNotes)
	return in, p.Err()
}

// Reactivate moves a suspended customer back to active and restores the
// services suspended with it. Errors: not_found, invalid (notes),
// precondition_failed, conflict (not suspended, or a non-payment suspension
// while a balance is owed and without Override).
func (s *Service) Reactivate(ctx context.Context, id string, in ReactivateInput) (*Customer, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("customer")
	}
	in, err := CheckReactivate(in)
	if err != nil {
		return nil, err
	}
	var out *Customer
	err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
		var err error
		out, err = s.reactivate(ctx, r, id, in, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reactivate lifts a suspension inside a transaction; scheduled ones (whose
// Until passed) skip the balance rule, since the suspension was given an end.
func (s *Service) reactivate(ctx context.Context, r Repository, id string, in ReactivateInput, scheduled bool) (*Customer, error) {
	before, err := r.LockCustomer(ctx, id)
	if err != nil {
		return nil, err
	}
	// Read under the lock, so the history of one customer is in the order
	// its transitions committed.
	now := s.clock()
	if err := crm.CheckVersion("customer", before.Version, in.IfVersion); err != nil {
		return nil, err
	}
	if before.Status != StatusSuspended {
		return nil, crm.Errorf(crm.CodeConflict, "cannot reactivate a %s customer", before.Status)
	}
	if before.Suspension != nil && before.Suspension.Reason == ReasonNonPayment && !in.Override && !scheduled && s.balances != nil {
		owed, err := s.balances.Balance(ctx, id)
		if err != nil {
			return nil, err
		}
		if owed > 0 {
			return nil, crm.Errorf(crm.CodeConflict, "a balance of %s is owed; an administrator may override", owed)
		}
	}
	after := clone(before)
	after.Status = StatusActive
	after.Suspension = nil
	n, err := r.RestoreSubscriptions(ctx, id, now)
	if err != nil {
		return nil, err
	}
	// The reactivation's own notes and override go on its audit entry
	// (the status history keeps only the suspension's).
	extra := countChange("services.restored", n)
	if in.Override {
		extra = append(extra, crm.FieldChange{Field: "reactivation.override", Before: crm.RawJSON(nil), After: crm.RawJSON(true)})
	}
	if in.Notes != "" {
		extra = append(extra, crm.FieldChange{Field: "reactivation.notes", Before: crm.RawJSON(nil), After: crm.RawJSON("[redacted]")})
	}
	return s.transition(ctx, r, before, after, "reactivate", EventReactivated, now, extra...)
}

// transition stores a status change of before into after with its history
// entry, outbox event and one audit entry: the field changes plus extra
// (what else the action changed, such as the services it suspended).
func (s *Service) transition(ctx context.Context, r Repository, before, after *Customer, action, event string, now time.Time, extra ...crm.FieldChange) (*Customer, error) {
	after.Version++
	after.UpdatedAt = now
	if err := r.UpdateCustomer(ctx, after); err != nil {
		return nil, err
	}
	if err := r.InsertStatusChange(ctx, s.statusChange(ctx, after, before.Status, after.Status, now)); err != nil {
		return nil, err
	}
	if err := r.InsertAudit(ctx, crm.NewAuditEntry(ctx, after.ID, "customer", after.ID, action, append(diffCustomers(before, after), extra...), now)); err != nil {
		return nil, err
	}
	return after, r.InsertEvent(ctx, newEvent(event, after, now))
}

// countChange records that an action changed n of the customer's services
// in bulk; nothing when it changed none.
func countChange(field string, n int) []crm.FieldChange {
	if n == 0 {
		return nil
	}
	return []crm.FieldChange{{Field: field, Before: crm.RawJSON(nil), After: crm.RawJSON(n)}}
}

// reactivationBatch is how many due customers one transaction reactivates.
const reactivationBatch = 50

// ReactivateDue reactivates every suspended customer whose Until has passed
// and returns how many. Safe to run on several servers at once: each batch
// locks its rows and skips rows another server holds.
func (s *Service) ReactivateDue(ctx context.Context) (int, error) {
	total := 0
	for {
		n := 0
		err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
			ids, err := r.DueReactivations(ctx, s.clock(), reactivationBatch)
			if err != nil {
				return err
			}
			for _, id := range ids {
				if _, err := s.reactivate(ctx, r, id, ReactivateInput{}, true); err != nil {
					return err
				}
			}
			n = len(ids)
			return nil
		})
		total += n
		if err != nil || n < reactivationBatch {
			return total, err
		}
	}
}

// StatusHistory returns the customer's status changes, oldest first (at
// most 500). Errors: not_found.
func (s *Service) StatusHistory(ctx context.Context, id string) ([]StatusChange, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.repo.ListStatusChanges(ctx, id, maxHistory)
}
