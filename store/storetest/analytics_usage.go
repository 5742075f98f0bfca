package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// usageTests are the conformance cases of the sums behind a customer's
// usage history.
var usageTests = []test{
	{"UsageSums", testUsageSums},
}

// testUsageSums checks the sums per day, ISO week and month and per
// service: both ends of the span included, the days just outside left
// out, a period that starts before the span counting only the span's
// days, the service filter, empty sums, and another customer's usage kept
// apart; and that every answer is analytics.SumUsage's over the records.
func testUsageSums(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	const s1, s2 = "0190a7e2-0000-7000-8000-00000000000a", "0190a7e2-0000-7000-8000-00000000000b"
	d := func(m time.Month, day int) crm.Date { return crm.Date{Year: 2024, Month: m, Day: day} }
	use := func(customerID, service string, on crm.Date, down, up int64) analytics.Usage {
		return analytics.Usage{CustomerID: customerID, ServiceID: service, Date: on, DownloadBytes: down, UploadBytes: up,
			CreatedAt: base, UpdatedAt: base}
	}
	records := []analytics.Usage{
		use(a.ID, s1, d(time.February, 27), 5000, 5000), // the day before the span
		use(a.ID, s1, d(time.February, 28), 100, 10),    // a Wednesday: its week starts on Monday the 26th
		use(a.ID, s1, d(time.February, 29), 200, 20),
		use(a.ID, s2, d(time.February, 29), 1000, 0),
		use(a.ID, s2, d(time.March, 3), 50, 5), // a Sunday
		use(a.ID, s1, d(time.March, 4), 7, 3),  // a Monday
		use(a.ID, s1, d(time.March, 31), 1, 1), // the span's last day
		use(a.ID, s1, d(time.April, 1), 9, 9),  // the day after
	}
	_, err := s.UpsertUsage(ctx, a.ID, records)
	ok(t, "UpsertUsage A", err)
	_, err = s.UpsertUsage(ctx, b.ID, []analytics.Usage{use(b.ID, s1, d(time.March, 1), 1<<40, 1<<40)})
	ok(t, "UpsertUsage B", err)

	p := func(start crm.Date, down, up int64) analytics.UsagePeriod {
		return analytics.UsagePeriod{PeriodStart: start, DownloadBytes: down, UploadBytes: up, TotalBytes: down + up}
	}
	svc := func(id string, total int64) analytics.ServiceUsage {
		return analytics.ServiceUsage{ServiceID: id, TotalBytes: total}
	}
	both := []analytics.ServiceUsage{svc(s1, 110+220+10+2), svc(s2, 1000+55)}
	none := &analytics.UsageSums{Periods: []analytics.UsagePeriod{}, Services: []analytics.ServiceUsage{}}
	from, to := d(time.February, 28), d(time.March, 31)
	tests := []struct {
		customerID, service string
		g                   analytics.Granularity
		from, to            crm.Date
		want                *analytics.UsageSums
	}{
		{a.ID, "", analytics.GranularityDay, from, to, &analytics.UsageSums{Periods: []analytics.UsagePeriod{
			p(d(time.February, 28), 100, 10), p(d(time.February, 29), 1200, 20), p(d(time.March, 3), 50, 5),
			p(d(time.March, 4), 7, 3), p(d(time.March, 31), 1, 1)}, Services: both}},
		{a.ID, "", analytics.GranularityWeek, from, to, &analytics.UsageSums{Periods: []analytics.UsagePeriod{
			p(d(time.February, 26), 1350, 35), p(d(time.March, 4), 7, 3), p(d(time.March, 25), 1, 1)}, Services: both}},
		{a.ID, "", analytics.GranularityMonth, from, to, &analytics.UsageSums{Periods: []analytics.UsagePeriod{
			p(d(time.February, 1), 1300, 30), p(d(time.March, 1), 58, 9)}, Services: both}},
		{a.ID, s2, analytics.GranularityMonth, from, to, &analytics.UsageSums{Periods: []analytics.UsagePeriod{
			p(d(time.February, 1), 1000, 0), p(d(time.March, 1), 50, 5)}, Services: []analytics.ServiceUsage{svc(s2, 1055)}}},
		{a.ID, "", analytics.GranularityMonth, d(time.February, 29), d(time.February, 29), &analytics.UsageSums{
			Periods: []analytics.UsagePeriod{p(d(time.February, 1), 1200, 20)}, Services: []analytics.ServiceUsage{svc(s1, 220), svc(s2, 1000)}}},
		{a.ID, "", analytics.GranularityWeek, d(time.March, 5), d(time.March, 30), none},
		{a.ID, "0190a7e2-0000-7000-8000-00000000000c", analytics.GranularityDay, from, to, none},
		{"0190a7e2-0000-7000-8000-00000000dead", "", analytics.GranularityDay, from, to, none},
	}
	for _, tt := range tests {
		what := fmt.Sprintf("UsageSums(%s, %q, %s, %s, %s)", tt.customerID, tt.service, tt.g, tt.from, tt.to)
		got, err := s.UsageSums(ctx, tt.customerID, tt.service, tt.g, tt.from, tt.to)
		ok(t, what, err)
		check(t, what, tt.want, got)
		if tt.customerID == a.ID {
			check(t, "SumUsage for "+what, tt.want, analytics.SumUsage(records, tt.service, tt.g, tt.from, tt.to))
		}
	}
}
