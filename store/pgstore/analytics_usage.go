package pgstore

import (
	"context"
	"database/sql"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// The sums of a usage history, in one statement: grouping sets give a row
// per period (service_id null) and a row per service (start null), so the
// answer is bounded by the periods and services, not the records. The
// date is cast to timestamp (without time zone) before date_trunc, which
// on a date would go through timestamptz and the session's time zone;
// 'week' truncates to the ISO Monday, as analytics.Granularity does. The
// reads use usage_days_day_idx for the customer's days; a service's
// variant adds its filter.
const (
	usageSumsSelect = `SELECT date_trunc($4, day::timestamp)::date AS start, service_id,
		sum(download_bytes)::bigint, sum(upload_bytes)::bigint
		FROM usage_days WHERE customer_id = $1 AND day BETWEEN $2::date AND $3::date`
	usageSumsGroup = ` GROUP BY GROUPING SETS ((date_trunc($4, day::timestamp)), (service_id))
		ORDER BY start, service_id`
	usageSumsSQL        = usageSumsSelect + usageSumsGroup
	serviceUsageSumsSQL = usageSumsSelect + ` AND service_id = $5` + usageSumsGroup
)

// truncUnits are date_trunc's names of the granularities; any other is
// summed by day, as analytics.Granularity.PeriodStart does.
var truncUnits = map[analytics.Granularity]string{analytics.GranularityWeek: "week", analytics.GranularityMonth: "month"}

// UsageSums sums the customer's usage dated from to to (of serviceID only,
// when not "") per period of g and per service, in the database.
func (s *Store) UsageSums(ctx context.Context, customerID, serviceID string, g analytics.Granularity, from, to crm.Date) (*analytics.UsageSums, error) {
	unit := truncUnits[g]
	if unit == "" {
		unit = "day"
	}
	query, args := usageSumsSQL, []any{customerID, from.Time(), to.Time(), unit}
	if serviceID != "" {
		query, args = serviceUsageSumsSQL, append(args, serviceID)
	}
	sums := &analytics.UsageSums{Periods: []analytics.UsagePeriod{}, Services: []analytics.ServiceUsage{}}
	err := s.query(ctx, query, args, func(rows rowScanner) error {
		var (
			start    sql.NullTime
			service  sql.NullString
			down, up int64
		)
		if err := rows.Scan(&start, &service, &down, &up); err != nil {
			return err
		}
		if service.Valid {
			sums.Services = append(sums.Services, analytics.ServiceUsage{ServiceID: service.String, TotalBytes: down + up})
		} else {
			sums.Periods = append(sums.Periods, analytics.UsagePeriod{PeriodStart: dateOf(start.Time),
				DownloadBytes: down, UploadBytes: up, TotalBytes: down + up})
		}
		return nil
	})
	if err != nil {
		return nil, s.mapErr(err, "sum usage")
	}
	return sums, nil
}
