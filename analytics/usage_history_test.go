package analytics_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
)

// used is a usage record of the service on the day.
func used(serviceID string, d crm.Date, down, up int64) analytics.Usage {
	return analytics.Usage{CustomerID: "c", ServiceID: serviceID, Date: d, DownloadBytes: down, UploadBytes: up}
}

// period is a period of a usage history.
func period(start crm.Date, down, up int64) analytics.UsagePeriod {
	return analytics.UsagePeriod{PeriodStart: start, DownloadBytes: down, UploadBytes: up, TotalBytes: down + up}
}

// usageRecords are the fixture's usage of services A (plan "Fiber 500")
// and B ("Voice"), all within the trend's recent window (from 2025-10-02):
//
//	2025-12-28 Sun  A   10 /  1
//	2025-12-29 Mon  A  100 / 10
//	2025-12-31 Wed  B 1000 /  0
//	2026-01-01 Thu  A  200 / 20
//	2026-01-05 Mon  A    5 /  5
var usageRecords = []analytics.Usage{
	used("A", date(2026, 1, 5), 5, 5),
	used("B", date(2025, 12, 31), 1000, 0),
	used("A", date(2025, 12, 28), 10, 1),
	used("A", date(2026, 1, 1), 200, 20),
	used("A", date(2025, 12, 29), 100, 10),
}

// usageServices name the fixture's plans.
var usageServices = []customer.Subscription{{ID: "A", PlanName: "Fiber 500"}, {ID: "B", PlanName: "Voice"}}

// historyOf is UsageHistoryOf over records, summed as a store sums them.
func historyOf(records []analytics.Usage, q analytics.UsageHistoryQuery) *analytics.UsageHistory {
	w := analytics.WindowsOf(now)
	return analytics.UsageHistoryOf("c", q, analytics.SumUsage(records, q.ServiceID, q.Granularity, q.From, q.To),
		analytics.SumUsage(records, q.ServiceID, analytics.GranularityDay, w.PriorFrom, w.Day), usageServices, now)
}

// TestUsageHistoryOf checks the periods, totals and services of day, week
// and month histories on hand-computed fixtures.
func TestUsageHistoryOf(t *testing.T) {
	flat := analytics.UsageTrend{Direction: analytics.TrendFlat}
	tests := []struct {
		name string
		q    analytics.UsageHistoryQuery
		want *analytics.UsageHistory
	}{
		{
			// Weeks from Wednesday 2025-12-31: the first starts on Monday
			// the 29th but counts only the 31st and 1st (1,200 / 20); the
			// third is empty. 1,230 bytes over 15 days: 82 a day.
			name: "week", q: analytics.UsageHistoryQuery{From: date(2025, 12, 31), To: date(2026, 1, 14), Granularity: analytics.GranularityWeek},
			want: &analytics.UsageHistory{Periods: []analytics.UsagePeriod{
				period(date(2025, 12, 29), 1200, 20), period(date(2026, 1, 5), 5, 5), period(date(2026, 1, 12), 0, 0)},
				Totals: analytics.UsageTotals{DownloadBytes: 1205, UploadBytes: 25, TotalBytes: 1230, AverageDailyBytes: 82},
				ByService: []analytics.ServiceUsage{{ServiceID: "B", PlanName: "Voice", TotalBytes: 1000},
					{ServiceID: "A", PlanName: "Fiber 500", TotalBytes: 230}}},
		},
		{
			// November is empty; December 1,110 / 11, January 205 / 25.
			// 1,351 bytes over 61 days (16 + 31 + 14): 22.15 a day.
			name: "month", q: analytics.UsageHistoryQuery{From: date(2025, 11, 15), To: date(2026, 1, 14), Granularity: analytics.GranularityMonth},
			want: &analytics.UsageHistory{Periods: []analytics.UsagePeriod{
				period(date(2025, 11, 1), 0, 0), period(date(2025, 12, 1), 1110, 11), period(date(2026, 1, 1), 205, 25)},
				Totals: analytics.UsageTotals{DownloadBytes: 1315, UploadBytes: 36, TotalBytes: 1351, AverageDailyBytes: 22},
				ByService: []analytics.ServiceUsage{{ServiceID: "B", PlanName: "Voice", TotalBytes: 1000},
					{ServiceID: "A", PlanName: "Fiber 500", TotalBytes: 351}}},
		},
		{
			// 1,220 bytes over 3 days: 406.67 rounds to 407.
			name: "day", q: analytics.UsageHistoryQuery{From: date(2025, 12, 30), To: date(2026, 1, 1), Granularity: analytics.GranularityDay},
			want: &analytics.UsageHistory{Periods: []analytics.UsagePeriod{
				period(date(2025, 12, 30), 0, 0), period(date(2025, 12, 31), 1000, 0), period(date(2026, 1, 1), 200, 20)},
				Totals: analytics.UsageTotals{DownloadBytes: 1200, UploadBytes: 20, TotalBytes: 1220, AverageDailyBytes: 407},
				ByService: []analytics.ServiceUsage{{ServiceID: "B", PlanName: "Voice", TotalBytes: 1000},
					{ServiceID: "A", PlanName: "Fiber 500", TotalBytes: 220}}},
		},
		{
			// Service A alone: December 110 / 11.
			name: "one service", q: analytics.UsageHistoryQuery{From: date(2025, 11, 15), To: date(2026, 1, 14),
				Granularity: analytics.GranularityMonth, ServiceID: "A"},
			want: &analytics.UsageHistory{Periods: []analytics.UsagePeriod{
				period(date(2025, 11, 1), 0, 0), period(date(2025, 12, 1), 110, 11), period(date(2026, 1, 1), 205, 25)},
				Totals:    analytics.UsageTotals{DownloadBytes: 315, UploadBytes: 36, TotalBytes: 351, AverageDailyBytes: 6},
				ByService: []analytics.ServiceUsage{{ServiceID: "A", PlanName: "Fiber 500", TotalBytes: 351}}},
		},
		{
			// No usage: every period with zeros, no services.
			name: "empty", q: analytics.UsageHistoryQuery{From: date(2025, 1, 1), To: date(2025, 2, 28), Granularity: analytics.GranularityMonth},
			want: &analytics.UsageHistory{Periods: []analytics.UsagePeriod{period(date(2025, 1, 1), 0, 0), period(date(2025, 2, 1), 0, 0)},
				ByService: []analytics.ServiceUsage{}},
		},
	}
	for _, tt := range tests {
		tt.want.CustomerID, tt.want.Granularity, tt.want.From, tt.want.To, tt.want.Trend = "c", tt.q.Granularity, tt.q.From, tt.q.To, flat
		if diff := cmp.Diff(tt.want, historyOf(usageRecords, tt.q)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestUsageByServicePlans checks that services of equal usage are ordered
// by id and that a service the list does not hold has no plan name.
func TestUsageByServicePlans(t *testing.T) {
	records := []analytics.Usage{used("Z", date(2025, 12, 1), 5, 0), used("B", date(2025, 12, 1), 3, 2), used("A", date(2025, 12, 2), 1, 4)}
	q := analytics.UsageHistoryQuery{From: date(2025, 12, 1), To: date(2025, 12, 2), Granularity: analytics.GranularityDay}
	want := []analytics.ServiceUsage{{ServiceID: "A", PlanName: "Fiber 500", TotalBytes: 5},
		{ServiceID: "B", PlanName: "Voice", TotalBytes: 5}, {ServiceID: "Z", TotalBytes: 5}}
	if diff := cmp.Diff(want, historyOf(records, q).ByService); diff != "" {
		t.Errorf("by_service (-want +got):\n%s", diff)
	}
}

// TestUsageTrend checks the trend's windows as of the clock
// (2026-01-02): the prior from 2025-07-02 to 2025-10-01, the recent from
// 2025-10-02 to 2026-01-02, whatever the history's span; and the ±10 %
// band, bounds included.
func TestUsageTrend(t *testing.T) {
	// Inside the windows: 1,000 prior bytes at both of its ends and 1,200
	// recent ones at both of its; the days just outside count for nothing.
	records := []analytics.Usage{
		used("A", date(2025, 7, 1), 1<<30, 0),
		used("A", date(2025, 7, 2), 400, 0),
		used("B", date(2025, 10, 1), 500, 100),
		used("A", date(2025, 10, 2), 1000, 0),
		used("B", date(2026, 1, 2), 100, 100),
		used("A", date(2026, 1, 3), 1<<30, 0),
	}
	everything := analytics.SumUsage(records, "", analytics.GranularityDay, crm.MinDate, crm.MaxDate)
	q := analytics.UsageHistoryQuery{From: date(2020, 1, 1), To: date(2020, 1, 31), Granularity: analytics.GranularityMonth}
	got := analytics.UsageHistoryOf("c", q, everything, everything, usageServices, now).Trend
	if diff := cmp.Diff(analytics.UsageTrend{Direction: analytics.TrendRising, ChangePercent: ptr(20.0)}, got); diff != "" {
		t.Errorf("trend of the windows (-want +got):\n%s", diff)
	}
	// With the service filter the trend is the service's: A has 400 prior
	// bytes and 1,000 recent ones.
	q.ServiceID = "A"
	w := analytics.WindowsOf(now)
	got = analytics.UsageHistoryOf("c", q, everything, analytics.SumUsage(records, "A", analytics.GranularityDay, w.PriorFrom, w.Day),
		usageServices, now).Trend
	if diff := cmp.Diff(analytics.UsageTrend{Direction: analytics.TrendRising, ChangePercent: ptr(150.0)}, got); diff != "" {
		t.Errorf("trend of service A (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		recent, prior int64
		want          analytics.UsageTrend
	}{
		{1100, 1000, analytics.UsageTrend{Direction: analytics.TrendFlat, ChangePercent: ptr(10.0)}},
		{1101, 1000, analytics.UsageTrend{Direction: analytics.TrendRising, ChangePercent: ptr(10.1)}},
		{900, 1000, analytics.UsageTrend{Direction: analytics.TrendFlat, ChangePercent: ptr(-10.0)}},
		{899, 1000, analytics.UsageTrend{Direction: analytics.TrendFalling, ChangePercent: ptr(-10.1)}},
		{1000, 1000, analytics.UsageTrend{Direction: analytics.TrendFlat, ChangePercent: ptr(0.0)}},
		{0, 1000, analytics.UsageTrend{Direction: analytics.TrendFalling, ChangePercent: ptr(-100.0)}},
		{2, 3, analytics.UsageTrend{Direction: analytics.TrendFalling, ChangePercent: ptr(-33.3)}},
		{1000, 0, analytics.UsageTrend{Direction: analytics.TrendFlat}},
		{0, 0, analytics.UsageTrend{Direction: analytics.TrendFlat}},
	} {
		if diff := cmp.Diff(tt.want, analytics.UsageTrendOf(tt.recent, tt.prior)); diff != "" {
			t.Errorf("UsageTrendOf(%d, %d) (-want +got):\n%s", tt.recent, tt.prior, diff)
		}
		// Through a history: the recent bytes on the clock's day, the prior
		// ones on the prior window's first.
		records := []analytics.Usage{used("A", date(2026, 1, 2), tt.recent, 0), used("A", date(2025, 7, 2), tt.prior, 0)}
		if got := historyOf(records, q).Trend; !cmp.Equal(tt.want, got) {
			t.Errorf("trend of %d after %d = %+v, want %+v", tt.recent, tt.prior, got, tt.want)
		}
	}
}

// TestGranularity checks the period starts (ISO weeks from Monday) and
// the period counts, partial first and last periods included.
func TestGranularity(t *testing.T) {
	for _, tt := range []struct {
		g          analytics.Granularity
		d, want    crm.Date
		to         crm.Date
		wantPeriod int
	}{
		{analytics.GranularityDay, date(2024, 2, 29), date(2024, 2, 29), date(2024, 3, 1), 2},
		{analytics.GranularityWeek, date(2024, 3, 4), date(2024, 3, 4), date(2024, 3, 10), 1},   // Monday to Sunday
		{analytics.GranularityWeek, date(2024, 3, 10), date(2024, 3, 4), date(2024, 3, 11), 2},  // Sunday: the Monday before
		{analytics.GranularityWeek, date(2024, 2, 28), date(2024, 2, 26), date(2024, 3, 31), 5}, // across a leap day
		{analytics.GranularityWeek, date(2021, 1, 1), date(2020, 12, 28), date(2021, 1, 3), 1},  // a week across years
		{analytics.GranularityMonth, date(2024, 1, 31), date(2024, 1, 1), date(2025, 1, 1), 13},
		{analytics.GranularityMonth, crm.MinDate, crm.MinDate, crm.MaxDate, 2412},
		{analytics.GranularityWeek, crm.MinDate, crm.MinDate, crm.MinDate, 1}, // 1900-01-01 is a Monday
	} {
		if got := tt.g.PeriodStart(tt.d); got != tt.want {
			t.Errorf("%s.PeriodStart(%s) = %s, want %s", tt.g, tt.d, got, tt.want)
		}
		if got := tt.g.Periods(tt.d, tt.to); got != tt.wantPeriod {
			t.Errorf("%s.Periods(%s, %s) = %d, want %d", tt.g, tt.d, tt.to, got, tt.wantPeriod)
		}
		h := historyOf(nil, analytics.UsageHistoryQuery{From: tt.d, To: tt.to, Granularity: tt.g})
		if len(h.Periods) != tt.wantPeriod || h.Periods[0].PeriodStart != tt.want {
			t.Errorf("%s history from %s to %s: %d periods from %s, want %d from %s", tt.g, tt.d, tt.to,
				len(h.Periods), h.Periods[0].PeriodStart, tt.wantPeriod, tt.want)
		}
	}
}

// sprintPeriods is a message's span of periods.
func sprintPeriods(from, to crm.Date, g analytics.Granularity, n int) string {
	return fmt.Sprintf("from %s to %s by %s is %d periods, more than %d", from, to, g, n, analytics.MaxUsagePeriods)
}
