package analytics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// MaxUsagePeriods bounds the periods of a usage history: 1,100 days are
// three years of daily figures.
const MaxUsagePeriods = 1100

// TrendFlatPercent is the band of a flat usage trend: a change of at most
// this many percent either way, bounds included.
const TrendFlatPercent = 10

// TrendDirection says which way a customer's usage goes.
type TrendDirection string

// The trend directions.
const (
	TrendRising  TrendDirection = "rising"
	TrendFalling TrendDirection = "falling"
	TrendFlat    TrendDirection = "flat"
)

// TrendDirections lists every TrendDirection.
var TrendDirections = []TrendDirection{TrendRising, TrendFalling, TrendFlat}

// UsageHistoryQuery is what a usage history covers.
type UsageHistoryQuery struct {
	// From and To are the first and last day covered, both included. The
	// zero Date stands for the default: To is the clock's UTC date, From
	// DefaultHistoryMonths calendar months before To (as time.AddDate
	// counts them, and not before crm.MinDate).
	From, To crm.Date
	// Granularity cuts [From, To] into periods; "" for a month.
	Granularity Granularity
	// ServiceID restricts the history, trend included, to one service of
	// the customer; "" for all of its services.
	ServiceID string
}

// UsageHistory is a customer's usage over [From, To], cut into periods.
type UsageHistory struct {
	CustomerID  string      `json:"customer_id"`
	Granularity Granularity `json:"granularity"`
	From        crm.Date    `json:"from"`
	To          crm.Date    `json:"to"`
	// Periods are every period of Granularity that holds a day of
	// [From, To], oldest first, those without usage with zeros. The first
	// one starts on Granularity.PeriodStart(From), which may be before
	// From; the first and last count only the days of [From, To].
	Periods []UsagePeriod `json:"periods"`
	Totals  UsageTotals   `json:"totals"`
	// ByService are the services with usage records in [From, To], by
	// TotalBytes descending, then ServiceID.
	ByService []ServiceUsage `json:"by_service"`
	Trend     UsageTrend     `json:"trend"`
}

// UsagePeriod is the usage of one period: the sums of its days' records.
type UsagePeriod struct {
	PeriodStart   crm.Date `json:"period_start"`
	DownloadBytes int64    `json:"download_bytes"`
	UploadBytes   int64    `json:"upload_bytes"`
	// TotalBytes is DownloadBytes plus UploadBytes.
	TotalBytes int64 `json:"total_bytes"`
}

// UsageTotals are the sums of the periods of a UsageHistory.
type UsageTotals struct {
	DownloadBytes int64 `json:"download_bytes"`
	UploadBytes   int64 `json:"upload_bytes"`
	TotalBytes    int64 `json:"total_bytes"`
	// AverageDailyBytes is TotalBytes divided by the number of days from
	// From to To (both included, days without records too), rounded to a
	// whole byte half away from zero.
	AverageDailyBytes int64 `json:"average_daily_bytes"`
}

// ServiceUsage is the usage of one service over a span.
type ServiceUsage struct {
	ServiceID string `json:"service_id"`
	// PlanName is the service's plan name.
	PlanName   string `json:"plan_name"`
	TotalBytes int64  `json:"total_bytes"`
}

// UsageTrend compares the usage (download plus upload) of the last
// TrendMonths before the clock with that of the TrendMonths before those,
// the two windows of WindowsOf(now) (RecentFrom to the clock's date, and
// PriorFrom to the day before RecentFrom): the churn feature usage_trend's
// measure, so the trend a user sees and the one the model weighs agree.
// It is measured as of the clock, whatever To is.
type UsageTrend struct {
	// Direction is rising above +TrendFlatPercent, falling below
	// −TrendFlatPercent, and flat within (bounds included) or when the
	// earlier window has no usage.
	Direction TrendDirection `json:"direction"`
	// ChangePercent is UsageChange in percent, rounded to one decimal half
	// away from zero; nil when the earlier window has no usage.
	ChangePercent *float64 `json:"change_percent"`
}

// UsageHistory returns the customer's usage history for q (see
// UsageHistoryQuery and UsageHistory), read as two sums of the store
// (Repository.UsageSums): one over [From, To] at q's granularity, one over
// the trend's windows by day. Errors: invalid naming from or to (outside
// crm.MinDate..crm.MaxDate, or from after to), granularity (unknown, or
// more than MaxUsagePeriods periods when a coarser granularity has fewer;
// else from) or service_id (not a service of this customer); not_found for
// an unknown or deleted customer.
func (s *Service) UsageHistory(ctx context.Context, customerID string, q UsageHistoryQuery) (*UsageHistory, error) {
	now := s.clock()
	q, err := q.resolve(crm.DateOf(now))
	if err != nil {
		return nil, err
	}
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	services, err := s.repo.ListSubscriptions(ctx, customerID, "", 0)
	if err != nil {
		return nil, err
	}
	if q.ServiceID != "" && !slices.ContainsFunc(services, func(v customer.Subscription) bool { return v.ID == q.ServiceID }) {
		var p crm.Problems
		p.Add("service_id", "is not a service of this customer")
		return nil, p.Err()
	}
	window, err := s.repo.UsageSums(ctx, customerID, q.ServiceID, q.Granularity, q.From, q.To)
	if err != nil {
		return nil, err
	}
	w := WindowsOf(now)
	trend, err := s.repo.UsageSums(ctx, customerID, q.ServiceID, GranularityDay, w.PriorFrom, w.Day)
	if err != nil {
		return nil, err
	}
	return UsageHistoryOf(customerID, q, window, trend, services, now), nil
}

// resolve fills in q's defaults for the UTC date today and checks it.
func (q UsageHistoryQuery) resolve(today crm.Date) (UsageHistoryQuery, error) {
	var p crm.Problems
	if q.Granularity == "" {
		q.Granularity = GranularityMonth
	} else if !slices.Contains(Granularities, q.Granularity) {
		p.Add("granularity", "must be one of day, week, month")
	}
	toDefault := q.To.IsZero()
	if toDefault {
		q.To = today
	} else if err := q.To.CheckRange(); err != nil {
		p.Add("to", err.Error())
	}
	if q.From.IsZero() {
		q.From = crm.DateOf(q.To.Time().AddDate(0, -DefaultHistoryMonths, 0))
		if q.From.Before(crm.MinDate) {
			q.From = crm.MinDate
		}
	} else if err := q.From.CheckRange(); err != nil {
		p.Add("from", err.Error())
	}
	if err := p.Err(); err != nil {
		return q, err
	}
	switch {
	case q.To.Before(q.From) && toDefault:
		p.Add("from", "must not be after to (today when to is not given)")
	case q.To.Before(q.From):
		p.Add("to", "must not be before from")
	default:
		if n := q.Granularity.Periods(q.From, q.To); n > MaxUsagePeriods {
			field := "granularity"
			if q.Granularity == GranularityMonth {
				field = "from" // no coarser granularity helps: the span must shrink
			}
			p.Add(field, fmt.Sprintf("from %s to %s by %s is %d periods, more than %d", q.From, q.To, q.Granularity, n, MaxUsagePeriods))
		}
	}
	return q, p.Err()
}

// UsageHistoryOf computes the usage history of the customer for q, whose
// From, To and Granularity are set and valid (the Service checks them),
// as of now: from window, the sums over [q.From, q.To] at q.Granularity;
// trend, the sums over at least the trend's two windows (WindowsOf(now)),
// whose days outside them are ignored, at day granularity; and services,
// the customer's services, which name the plans (one not among them has
// the plan name ""). Both sums are of q.ServiceID alone when it is set, as
// Repository.UsageSums and SumUsage compute them.
func UsageHistoryOf(customerID string, q UsageHistoryQuery, window, trend *UsageSums, services []customer.Subscription, now time.Time) *UsageHistory {
	h := &UsageHistory{CustomerID: customerID, Granularity: q.Granularity, From: q.From, To: q.To,
		Periods: make([]UsagePeriod, 0, q.Granularity.Periods(q.From, q.To)), ByService: []ServiceUsage{}}
	sums := make(map[crm.Date]UsagePeriod, len(window.Periods))
	for _, p := range window.Periods {
		sums[p.PeriodStart] = p
	}
	for start := q.Granularity.PeriodStart(q.From); !q.To.Before(start); start = q.Granularity.next(start) {
		p := sums[start]
		p.PeriodStart = start
		h.Periods = append(h.Periods, p)
		h.Totals.DownloadBytes += p.DownloadBytes
		h.Totals.UploadBytes += p.UploadBytes
		h.Totals.TotalBytes += p.TotalBytes
	}
	days := int64(dayNumber(q.To) - dayNumber(q.From) + 1)
	h.Totals.AverageDailyBytes = divRound(h.Totals.TotalBytes, days)

	plans := make(map[string]string, len(services))
	for _, s := range services {
		plans[s.ID] = s.PlanName
	}
	for _, s := range window.Services {
		h.ByService = append(h.ByService, ServiceUsage{ServiceID: s.ServiceID, PlanName: plans[s.ServiceID], TotalBytes: s.TotalBytes})
	}
	slices.SortFunc(h.ByService, func(a, b ServiceUsage) int {
		return cmp.Or(cmp.Compare(b.TotalBytes, a.TotalBytes), cmp.Compare(a.ServiceID, b.ServiceID))
	})

	w := WindowsOf(now)
	var recent, prior int64
	for _, d := range trend.Periods {
		switch {
		case d.PeriodStart.Before(w.PriorFrom), w.Day.Before(d.PeriodStart):
		case d.PeriodStart.Before(w.RecentFrom):
			prior += d.TotalBytes
		default:
			recent += d.TotalBytes
		}
	}
	h.Trend = UsageTrendOf(recent, prior)
	return h
}

// UsageTrendOf is the trend from prior to recent bytes, measured by
// UsageChange (see UsageTrend).
func UsageTrendOf(recent, prior int64) UsageTrend {
	change, ok := UsageChange(recent, prior)
	if !ok {
		return UsageTrend{Direction: TrendFlat}
	}
	pct := round(100*change, 1)
	t := UsageTrend{Direction: TrendFlat, ChangePercent: &pct}
	switch band := float64(TrendFlatPercent) / 100; {
	case change > band:
		t.Direction = TrendRising
	case change < -band:
		t.Direction = TrendFalling
	}
	return t
}
