package crm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date without time zone, written as YYYY-MM-DD.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the UTC calendar date of t.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return Date{y, m, d}
}

// MinDate and MaxDate bound the dates and times accepted as input: a date
// outside them (year 0000, 9999-12-31) is a typo or a probe, never a
// customer's history or plans.
var (
	MinDate = Date{1900, time.January, 1}
	MaxDate = Date{2100, time.December, 31}
)

// ParseDate parses YYYY-MM-DD, between MinDate and MaxDate.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("must be a date as YYYY-MM-DD")
	}
	d := DateOf(t)
	if err := d.CheckRange(); err != nil {
		return Date{}, err
	}
	return d, nil
}

// CheckRange returns an error saying the accepted range when d is before
// MinDate or after MaxDate, nil otherwise.
func (d Date) CheckRange() error {
	if d.Before(MinDate) || MaxDate.Before(d) {
		return fmt.Errorf("must be between %s and %s", MinDate, MaxDate)
	}
	return nil
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// String renders d as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// MarshalText writes d as YYYY-MM-DD, which JSON shows as a string. Text
// rather than JSON marshalling spares encoding/json from re-validating the
// output of every date of a response.
func (d Date) MarshalText() ([]byte, error) { return d.AppendText(make([]byte, 0, 10)) }

// AppendText appends d as YYYY-MM-DD to b: MarshalText without an
// allocation, for writers of many dates (a CSV export).
func (d Date) AppendText(b []byte) ([]byte, error) {
	return d.Time().AppendFormat(b, time.DateOnly), nil
}

// UnmarshalJSON reads a "YYYY-MM-DD" string.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("must be a date as YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// StoredTime is t as the stores keep it: UTC, microsecond precision (what
// Postgres' timestamptz holds), without a monotonic reading, so a time
// round-trips through either store unchanged.
func StoredTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// Clock returns a clock that reads now (time.Now when nil) as StoredTime:
// the clock of every domain Service, whose Options.Now tests inject.
func Clock(now func() time.Time) func() time.Time {
	if now == nil {
		now = time.Now
	}
	return func() time.Time { return StoredTime(now()) }
}
