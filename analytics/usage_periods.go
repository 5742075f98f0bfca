package analytics

import (
	"cmp"
	"slices"

	"github.com/ispstack/crm"
)

// Granularity is the length of the periods a usage history is cut into.
type Granularity string

// The granularities. Periods are calendar periods in UTC dates: a day, an
// ISO week (Monday to Sunday) or a calendar month.
const (
	GranularityDay   Granularity = "day"
	GranularityWeek  Granularity = "week"
	GranularityMonth Granularity = "month"
)

// Granularities lists every Granularity, the finest first.
var Granularities = []Granularity{GranularityDay, GranularityWeek, GranularityMonth}

// PeriodStart is the first day of the period of g that holds d: d itself
// for a day, the Monday on or before d for a week, the first of d's month
// for a month (as Postgres' date_trunc counts them, which pgstore uses).
func (g Granularity) PeriodStart(d crm.Date) crm.Date {
	switch g {
	case GranularityWeek:
		t := d.Time()
		return crm.DateOf(t.AddDate(0, 0, -(int(t.Weekday())+6)%7))
	case GranularityMonth:
		return crm.Date{Year: d.Year, Month: d.Month, Day: 1}
	}
	return d
}

// next is the start of the period after the one that starts on start.
func (g Granularity) next(start crm.Date) crm.Date {
	switch g {
	case GranularityWeek:
		return crm.DateOf(start.Time().AddDate(0, 0, 7))
	case GranularityMonth:
		return crm.DateOf(start.Time().AddDate(0, 1, 0)) // start is the 1st: no month overflows
	}
	return crm.DateOf(start.Time().AddDate(0, 0, 1))
}

// Periods is the number of periods of g that hold a day from from to to
// (from not after to), the partial first and last ones included.
func (g Granularity) Periods(from, to crm.Date) int {
	a, b := g.PeriodStart(from), g.PeriodStart(to)
	switch g {
	case GranularityWeek:
		return (dayNumber(b)-dayNumber(a))/7 + 1
	case GranularityMonth:
		return (b.Year-a.Year)*12 + int(b.Month) - int(a.Month) + 1
	}
	return dayNumber(b) - dayNumber(a) + 1
}

// UsageSums is a customer's usage over a span of days, summed per period
// and per service: what Repository.UsageSums reads and SumUsage computes.
type UsageSums struct {
	// Periods are the sums of the periods that hold a record, by
	// PeriodStart. A period's sums count only the span's days.
	Periods []UsagePeriod
	// Services are the totals of the services that have a record in the
	// span, by ServiceID; their PlanName is "" (the Service names them).
	Services []ServiceUsage
}

// SumUsage sums the records dated from to to (both included), only those
// of serviceID when it is not "", per period of g and per service, as
// Repository.UsageSums documents: the rule every store implements, and the
// one memstore runs. The records may be in any order.
func SumUsage(records []Usage, serviceID string, g Granularity, from, to crm.Date) *UsageSums {
	periods := map[crm.Date]*UsagePeriod{}
	services := map[string]int64{}
	for _, u := range records {
		if u.Date.Before(from) || to.Before(u.Date) || (serviceID != "" && u.ServiceID != serviceID) {
			continue
		}
		start := g.PeriodStart(u.Date)
		p := periods[start]
		if p == nil {
			p = &UsagePeriod{PeriodStart: start}
			periods[start] = p
		}
		p.DownloadBytes += u.DownloadBytes
		p.UploadBytes += u.UploadBytes
		p.TotalBytes += u.DownloadBytes + u.UploadBytes
		services[u.ServiceID] += u.DownloadBytes + u.UploadBytes
	}
	sums := &UsageSums{Periods: make([]UsagePeriod, 0, len(periods)), Services: make([]ServiceUsage, 0, len(services))}
	for _, p := range periods {
		sums.Periods = append(sums.Periods, *p)
	}
	slices.SortFunc(sums.Periods, func(a, b UsagePeriod) int { return a.PeriodStart.Time().Compare(b.PeriodStart.Time()) })
	for id, n := range services {
		sums.Services = append(sums.Services, ServiceUsage{ServiceID: id, TotalBytes: n})
	}
	slices.SortFunc(sums.Services, func(a, b ServiceUsage) int { return cmp.Compare(a.ServiceID, b.ServiceID) })
	return sums
}
