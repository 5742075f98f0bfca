package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

// EstimatedDuration is how long a decision is expected to take by method
// and level: a third-party service answers in minutes (longer for the
// deeper levels); a method that ends with a person waits for a reviewer's
// working day or two.
func EstimatedDuration(m Method, l Level) time.Duration {
	if m != MethodThirdPartyService {
		return 48 * time.Hour
	}
	switch l {
	case LevelEnhanced:
		return 10 * time.Minute
	case LevelComprehensive:
		return time.Hour
	default:
		return 2 * time.Minute
	}
}

// StartIdentity queues an identity verification of the customer for the
// workers and returns it, pending. document_upload and manual_review end
// with a person (POST …/review); third_party_service is decided by the
// service unless it refers the case to review. Errors: not_found (the
// customer, or a document that is not the customer's), invalid (naming
// the field), unprocessable (a document that is deactivated, infected or
// expired), conflict (an identity verification of the customer is still
// open).
func (s *Service) StartIdentity(ctx context.Context, customerID string, in IdentityInput) (*Verification, error) {
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Verification
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		if _, err := r.LockCustomer(ctx, customerID); err != nil {
			return err
		}
		if err := checkDocuments(ctx, r, customerID, in.Documents, s.clock()); err != nil {
			return err
		}
		if open, err := r.LatestVerification(ctx, customerID, KindIdentity, "", ""); err == nil && open.Status.Open() {
			return OpenIdentityConflict(open.ID)
		} else if err != nil && crm.ErrorCode(err) != crm.CodeNotFound {
			return err
		}
		now := s.clock()
		v := newVerification(customerID, KindIdentity, "", now)
		actions := []string{}
		if in.Method != MethodThirdPartyService {
			actions = []string{ActionManualReview}
		}
		v.Identity = &Identity{Method: in.Method, Level: in.Level, ThirdParty: in.ThirdParty,
			Documents: in.Documents, EstimatedCompletion: now.Add(EstimatedDuration(in.Method, in.Level)),
			RequiredActions: actions}
		if v.Identity.Documents == nil {
			v.Identity.Documents = []Document{}
		}
		v.Job.DueAt = &now
		if err := r.CreateVerification(ctx, v); err != nil {
			return err
		}
		out = v
		return record(ctx, r, nil, v, actionRequest, EventRequested, now)
	})
	if err != nil {
		return nil, err
	}
	s.nudge()
	return out, nil
}

// OpenIdentityConflict is the conflict of a second open identity
// verification of a customer, naming the open one when id is known; the
// stores return it too, so every path gives one message.
func OpenIdentityConflict(id string) *crm.Error {
	msg := "the customer has an identity verification in progress"
	if id != "" {
		msg += " (" + id + ")"
	}
	return &crm.Error{Code: crm.CodeConflict, Message: msg + "; wait for it to finish or review it"}
}

// checkDocuments checks that every document offered is the customer's,
// active, not infected and not expired on now's date.
func checkDocuments(ctx context.Context, r Repository, customerID string, docs []Document, now time.Time) error {
	var p crm.Problems
	for i, d := range docs {
		field := fmt.Sprintf("documents[%d].document_id", i)
		if !crm.ValidID(d.ID) {
			return crm.Errorf(crm.CodeNotFound, "document %s not found", d.ID)
		}
		doc, err := r.GetDocument(ctx, customerID, d.ID)
		if err != nil {
			if crm.ErrorCode(err) == crm.CodeNotFound {
				return crm.Errorf(crm.CodeNotFound, "document %s not found", d.ID)
			}
			return err
		}
		switch {
		case !doc.IsActive:
			p.Add(field, "the document is deactivated")
		case doc.ScanStatus == document.ScanInfected:
			p.Add(field, "the document failed its malware scan")
		case doc.ExpirationDate != nil && doc.ExpirationDate.Before(crm.DateOf(now)):
			p.Add(field, "the document expired on "+doc.ExpirationDate.String())
		}
	}
	if len(p) == 0 {
		return nil
	}
	return &crm.Error{Code: crm.CodeUnprocessable, Message: "a document cannot be used as proof", Fields: p}
}

// nudge wakes this process's workers.
func (s *Service) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
