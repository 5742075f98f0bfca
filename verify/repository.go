package verify

import (
	"context"
	"time"

	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
)

// Repository is the storage the Service needs. As customer.Repository, it
// copies values in and out, never returns (nil, nil), and reports failures
// as *crm.Error codes. store.Store embeds it; memstore and pgstore
// implement it.
//
// It includes customer.Repository because a credit check stores the score
// on the customer and an applied address verification its address, each
// in the verification's transaction, and it reads the documents offered as
// proof of identity.
type Repository interface {
	customer.Repository

	// GetDocument returns a document of the customer (document.Repository);
	// not_found when absent or another customer's.
	GetDocument(ctx context.Context, customerID, id string) (*document.Document, error)

	// CreateVerification inserts v. not_found when the customer does not
	// exist; conflict when the id exists, or when v is an open identity
	// verification (pending or in progress) and the customer already has
	// one: at most one is open per customer, whatever the race.
	CreateVerification(ctx context.Context, v *Verification) error
	// GetVerification returns a verification of the customer; not_found
	// when it does not exist or belongs to another customer.
	GetVerification(ctx context.Context, customerID, id string) (*Verification, error)
	// LockVerification is GetVerification holding the row until the
	// enclosing transaction ends, so its check-then-write is not raced.
	LockVerification(ctx context.Context, customerID, id string) (*Verification, error)
	// UpdateVerification stores v over the row whose version is
	// v.Version-1 (the caller increments Version); not_found when the
	// customer has no such verification, precondition_failed when the
	// stored version differs, conflict as CreateVerification.
	UpdateVerification(ctx context.Context, v *Verification) error
	// LatestVerification returns the customer's newest verification (by
	// id) of kind whose Subject is subject and Status is status, either
	// of which "" leaves free; not_found when there is none.
	LatestVerification(ctx context.Context, customerID string, kind Kind, subject string, status Status) (*Verification, error)
	// ListVerifications returns up to limit (all when <= 0) verifications
	// of the customer, every kind, newest first (by id descending),
	// strictly before the id beforeID ("" for the first page).
	ListVerifications(ctx context.Context, customerID, beforeID string, limit int) ([]Verification, error)
	// DueVerifications returns up to limit verifications of any customer
	// whose Job.DueAt is at or before now, earliest due first. Inside a
	// transaction the rows stay locked and rows locked by another
	// transaction are skipped (FOR UPDATE SKIP LOCKED), so two workers
	// never claim the same one.
	DueVerifications(ctx context.Context, now time.Time, limit int) ([]Verification, error)
	// DeleteVerificationsOf removes every verification of the customer
	// (when the customer is erased); none is not an error.
	DeleteVerificationsOf(ctx context.Context, customerID string) error
}
