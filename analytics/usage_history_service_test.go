package analytics_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestUsageHistory reads usage histories through the Service on both
// stores: the defaults, a service's history, the trend as of the clock,
// and every error.
func TestUsageHistory(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := t.Context()
		voice, err := f.customers.AddSubscription(ctx, f.c.ID, customer.SubscriptionInput{PlanName: "Voice", ServiceType: customer.ServiceVoice,
			MonthlyPrice: ptr(crm.Money(1000)), StartDate: ptr(date(2024, 3, 1))})
		if err != nil {
			t.Fatal(err)
		}
		in := func(serviceID string, d crm.Date, down, up int64) analytics.UsageInput {
			return analytics.UsageInput{ServiceID: serviceID, Date: d, DownloadBytes: ptr(down), UploadBytes: ptr(up)}
		}
		// Prior window (2025-07-02 to 2025-10-01): 1,000 bytes; recent (to
		// 2026-01-02): 800. The record of 2025-01-01 is a day before the
		// default span (2025-01-02 to 2026-01-02).
		_, err = f.svc.IngestUsage(ctx, f.c.ID, []analytics.UsageInput{
			in(f.sub.ID, date(2025, 1, 1), 7, 7),
			in(f.sub.ID, date(2025, 8, 15), 900, 100),
			in(f.sub.ID, date(2025, 11, 30), 500, 100),
			in(voice.ID, date(2026, 1, 2), 150, 50),
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.UsageHistory(ctx, f.c.ID, analytics.UsageHistoryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		var periods []analytics.UsagePeriod
		for m := range 13 { // January 2025 to January 2026
			start := crm.DateOf(date(2025, 1, 1).Time().AddDate(0, m, 0))
			switch start {
			case date(2025, 8, 1):
				periods = append(periods, period(start, 900, 100))
			case date(2025, 11, 1):
				periods = append(periods, period(start, 500, 100))
			case date(2026, 1, 1):
				periods = append(periods, period(start, 150, 50))
			default:
				periods = append(periods, period(start, 0, 0))
			}
		}
		// 1,800 bytes over 366 days: 4.92 a day; 800 after 1,000 is −20 %.
		want := &analytics.UsageHistory{CustomerID: f.c.ID, Granularity: analytics.GranularityMonth, From: date(2025, 1, 2), To: date(2026, 1, 2),
			Periods: periods, Totals: analytics.UsageTotals{DownloadBytes: 1550, UploadBytes: 250, TotalBytes: 1800, AverageDailyBytes: 5},
			ByService: []analytics.ServiceUsage{{ServiceID: f.sub.ID, PlanName: "Fiber 500", TotalBytes: 1600},
				{ServiceID: voice.ID, PlanName: "Voice", TotalBytes: 200}},
			Trend: analytics.UsageTrend{Direction: analytics.TrendFalling, ChangePercent: ptr(-20.0)}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("default history (-want +got):\n%s", diff)
		}

		// The voice service alone, by week over a span in the past: the
		// trend is still the clock's, of that service (no prior usage).
		got, err = f.svc.UsageHistory(ctx, f.c.ID, analytics.UsageHistoryQuery{From: date(2025, 12, 30), To: date(2026, 1, 2),
			Granularity: analytics.GranularityWeek, ServiceID: voice.ID})
		if err != nil {
			t.Fatal(err)
		}
		want = &analytics.UsageHistory{CustomerID: f.c.ID, Granularity: analytics.GranularityWeek, From: date(2025, 12, 30), To: date(2026, 1, 2),
			Periods:   []analytics.UsagePeriod{period(date(2025, 12, 29), 150, 50)},
			Totals:    analytics.UsageTotals{DownloadBytes: 150, UploadBytes: 50, TotalBytes: 200, AverageDailyBytes: 50},
			ByService: []analytics.ServiceUsage{{ServiceID: voice.ID, PlanName: "Voice", TotalBytes: 200}},
			Trend:     analytics.UsageTrend{Direction: analytics.TrendFlat}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("voice history (-want +got):\n%s", diff)
		}

		// Only from: to is today. Only to: from is 12 months before it.
		for _, q := range []analytics.UsageHistoryQuery{{From: date(2025, 6, 1)}, {To: date(2025, 6, 1)}} {
			h, err := f.svc.UsageHistory(ctx, f.c.ID, q)
			if err != nil {
				t.Fatal(err)
			}
			wantFrom, wantTo := date(2025, 6, 1), date(2026, 1, 2)
			if q.From.IsZero() {
				wantFrom, wantTo = date(2024, 6, 1), date(2025, 6, 1)
			}
			if h.From != wantFrom || h.To != wantTo {
				t.Errorf("%+v: from %s to %s, want %s to %s", q, h.From, h.To, wantFrom, wantTo)
			}
		}
		// 1,100 days are the most a daily history holds.
		if _, err := f.svc.UsageHistory(ctx, f.c.ID, analytics.UsageHistoryQuery{From: date(2023, 1, 1), To: date(2026, 1, 4),
			Granularity: analytics.GranularityDay}); err != nil {
			t.Errorf("1,100 days: %v", err)
		}

		other, err := f.customers.Create(ctx, customer.Input{Name: "Other", Email: "other@example.com", Phone: "+12125550143",
			Type: customer.TypeResidential, BillingAddress: &f.c.BillingAddress})
		if err != nil {
			t.Fatal(err)
		}
		otherSub, err := f.customers.AddSubscription(ctx, other.ID, customer.SubscriptionInput{PlanName: "Fiber 500",
			Technology: customer.TechFiber, MonthlyPrice: ptr(crm.Money(4999)), StartDate: ptr(date(2024, 3, 1))})
		if err != nil {
			t.Fatal(err)
		}
		day := analytics.GranularityDay
		for _, tt := range []struct {
			q    analytics.UsageHistoryQuery
			want crm.FieldError
		}{
			{analytics.UsageHistoryQuery{Granularity: "year"}, crm.FieldError{Field: "granularity", Message: "must be one of day, week, month"}},
			{analytics.UsageHistoryQuery{From: date(2025, 2, 1), To: date(2025, 1, 31)}, crm.FieldError{Field: "to", Message: "must not be before from"}},
			{analytics.UsageHistoryQuery{From: date(2026, 1, 3)}, crm.FieldError{Field: "from", Message: "must not be after to (today when to is not given)"}},
			{analytics.UsageHistoryQuery{From: date(1899, 12, 31)}, crm.FieldError{Field: "from", Message: "must be between 1900-01-01 and 2100-12-31"}},
			{analytics.UsageHistoryQuery{To: date(2101, 1, 1)}, crm.FieldError{Field: "to", Message: "must be between 1900-01-01 and 2100-12-31"}},
			{analytics.UsageHistoryQuery{From: date(2023, 1, 1), To: date(2026, 1, 5), Granularity: day},
				crm.FieldError{Field: "granularity", Message: sprintPeriods(date(2023, 1, 1), date(2026, 1, 5), day, 1101)}},
			{analytics.UsageHistoryQuery{From: crm.MinDate, To: crm.MaxDate},
				crm.FieldError{Field: "from", Message: sprintPeriods(crm.MinDate, crm.MaxDate, analytics.GranularityMonth, 2412)}},
			{analytics.UsageHistoryQuery{ServiceID: otherSub.ID}, crm.FieldError{Field: "service_id", Message: "is not a service of this customer"}},
			{analytics.UsageHistoryQuery{ServiceID: "nope"}, crm.FieldError{Field: "service_id", Message: "is not a service of this customer"}},
		} {
			_, err := f.svc.UsageHistory(ctx, f.c.ID, tt.q)
			wantInvalid(t, err, tt.want)
		}
		for _, id := range []string{"nope", "0190a7e2-0000-7000-8000-000000000001"} {
			if _, err := f.svc.UsageHistory(ctx, id, analytics.UsageHistoryQuery{}); crm.ErrorCode(err) != crm.CodeNotFound {
				t.Errorf("UsageHistory(%q) = %v, want not_found", id, err)
			}
		}
		if err := f.customers.Delete(ctx, f.c.ID, customer.DeleteOptions{Force: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.UsageHistory(ctx, f.c.ID, analytics.UsageHistoryQuery{}); crm.ErrorCode(err) != crm.CodeNotFound {
			t.Errorf("UsageHistory of a deleted customer = %v, want not_found", err)
		}
	})
}
