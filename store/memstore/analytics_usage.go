package memstore

import (
	"context"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// UsageSums sums the customer's usage dated from to to (of serviceID only,
// when not "") per period of g and per service, by analytics.SumUsage.
func (s *Store) UsageSums(ctx context.Context, customerID, serviceID string, g analytics.Granularity, from, to crm.Date) (*analytics.UsageSums, error) {
	var sums *analytics.UsageSums
	err := s.read(ctx, func(db *database) error {
		records := make([]analytics.Usage, 0, len(db.usage.rows[customerID]))
		for _, u := range db.usage.rows[customerID] {
			records = append(records, *u)
		}
		sums = analytics.SumUsage(records, serviceID, g, from, to)
		return nil
	})
	return sums, err
}
