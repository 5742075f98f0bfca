package pgstore

import (
	"context"
	"errors"

	"github.com/ispstack/crm/analytics"
)

// SaveProfiles: TODO(i8-profiles) helper D1 replaces this.
func (s *Store) SaveProfiles(ctx context.Context, ps []analytics.Profile) error {
	return errors.New("pgstore: SaveProfiles not written yet")
}

// GetProfile: TODO(i8-profiles) helper D1 replaces this.
func (s *Store) GetProfile(ctx context.Context, customerID string) (*analytics.Profile, error) {
	return nil, errors.New("pgstore: GetProfile not written yet")
}
