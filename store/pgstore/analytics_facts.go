package pgstore

import (
	"context"
	"errors"
	"time"

	"github.com/ispstack/crm/analytics"
)

// CustomerIDs: TODO(i8-facts) helper C replaces this file.
func (s *Store) CustomerIDs(ctx context.Context, afterID string, limit int) ([]string, error) {
	return nil, errors.New("pgstore: CustomerIDs not written yet")
}

// CustomerFacts: TODO(i8-facts) helper C replaces this file.
func (s *Store) CustomerFacts(ctx context.Context, ids []string, asOf time.Time) ([]analytics.Facts, error) {
	return nil, errors.New("pgstore: CustomerFacts not written yet")
}
