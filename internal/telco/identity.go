package telco

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/demo"
)

// places are real California ZIP codes with their cities (Postal code
// data © GeoNames, CC-BY 4.0).
var places = []struct{ ZIP, City string }{
	{"94110", "San Francisco"}, {"90012", "Los Angeles"}, {"92101", "San Diego"}, {"95814", "Sacramento"},
	{"95112", "San Jose"}, {"94612", "Oakland"}, {"93721", "Fresno"}, {"92701", "Santa Ana"},
	{"90802", "Long Beach"}, {"92501", "Riverside"}, {"94704", "Berkeley"}, {"95060", "Santa Cruz"},
}

// areaCodes are California area codes, for the generated phone numbers.
var areaCodes = []int{209, 213, 310, 323, 408, 415, 424, 442, 510, 530, 559, 562, 619, 626, 650, 657,
	661, 669, 707, 714, 747, 760, 805, 818, 831, 858, 909, 916, 925, 949, 951}

// Identity is the customer a Telco customerID becomes: residential,
// <customerID>@example.com, a name and a California billing address drawn
// from a hash of the id, and the phone number Phone(customerID, attempt).
func Identity(customerID string, attempt int) customer.Input {
	h := hash(customerID)
	place := places[h%uint64(len(places))]
	h /= uint64(len(places))
	first := demo.FirstNames[h%uint64(len(demo.FirstNames))]
	h /= uint64(len(demo.FirstNames))
	last := demo.LastNames[h%uint64(len(demo.LastNames))]
	h /= uint64(len(demo.LastNames))
	street := demo.StreetNames[h%uint64(len(demo.StreetNames))]
	h /= uint64(len(demo.StreetNames))
	suffix := demo.StreetSuffixes[h%uint64(len(demo.StreetSuffixes))]
	h /= uint64(len(demo.StreetSuffixes))
	number := 1 + h%9999
	return customer.Input{
		Name: first + " " + last, Email: Email(customerID), Phone: Phone(customerID, attempt),
		Type: customer.TypeResidential,
		BillingAddress: &customer.Address{Street: fmt.Sprintf("%d %s %s", number, street, suffix),
			City: place.City, State: "CA", PostalCode: place.ZIP, Country: "US"},
	}
}

// Email is the email address of a Telco customerID:
// <customerID>@example.com. The API keeps the case of the part before the
// @, so it reads back exactly so.
func Email(customerID string) string { return customerID + "@example.com" }

// Phone is the attempt-th candidate phone number of a Telco customerID,
// in E.164: +1, a California area code, the exchange 555 (not assigned to
// subscribers) and, as the line, the id's leading four digits (a hash of
// the id when it has none). Successive attempts move to the next area
// code, then to other lines, so a number another customer holds can be
// replaced by one nobody does.
func Phone(customerID string, attempt int) string {
	h := hash(customerID)
	line := int(h % 10000)
	if len(customerID) >= 4 {
		if n, err := strconv.Atoi(customerID[:4]); err == nil && n >= 0 {
			line = n
		}
	}
	n := len(areaCodes)
	area := areaCodes[(int(h/10000%uint64(n))+attempt)%n]
	line = (line + attempt/n*7919) % 10000
	return fmt.Sprintf("+1%d555%04d", area, line)
}

func hash(s string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(s))
	return f.Sum64()
}

// AddMonths moves d by n calendar months, keeping its day of the month
// when the target month has it and taking the month's last day when it
// does not (2026-03-31 minus one month is 2026-02-28), so that whole
// calendar months (analytics.MonthsBetween) from the result back to d are
// exactly n.
func AddMonths(d crm.Date, n int) crm.Date {
	first := time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return crm.Date{Year: first.Year(), Month: first.Month(), Day: min(d.Day, last)}
}

func addDays(d crm.Date, n int) crm.Date { return crm.DateOf(d.Time().AddDate(0, 0, n)) }

// divRound is a / b rounded half up, for a ≥ 0 and b > 0.
func divRound(a, b int64) int64 { return (2*a + b) / (2 * b) }
