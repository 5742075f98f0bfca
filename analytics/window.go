package analytics

import (
	"time"

	"github.com/ispstack/crm"
)

// The bounds and default of the window of a payment or support history,
// in months.
const (
	MinHistoryMonths     = 1
	MaxHistoryMonths     = 60
	DefaultHistoryMonths = 12
)

// checkHistoryMonths returns an invalid error naming months unless it is
// MinHistoryMonths to MaxHistoryMonths.
func checkHistoryMonths(months int) error {
	var p crm.Problems
	if months < MinHistoryMonths || months > MaxHistoryMonths {
		p.Addf("months", "must be between %d and %d", MinHistoryMonths, MaxHistoryMonths)
	}
	return p.Err()
}

// WindowStart is the first instant of a history's window over the months
// before now: now, in UTC, moved back months calendar months.
func WindowStart(now time.Time, months int) time.Time { return now.UTC().AddDate(0, -months, 0) }
