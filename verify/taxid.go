package verify

import (
	"fmt"
	"log/slog"
)

// TaxID is a customer's tax id (nine digits, SSN or EIN) handed to a
// provider in memory. Printing, logging or encoding it shows at most the
// last four digits, so a request that reaches a log or a job table does
// not leak it; an adapter reads the digits with string(t). No result type
// of this package has a TaxID.
type TaxID string

// Last4 returns the last four digits ("" for a shorter value).
func (t TaxID) Last4() string {
	if len(t) < 4 {
		return ""
	}
	return string(t[len(t)-4:])
}

// String masks all but the last four digits.
func (t TaxID) String() string {
	if t == "" {
		return ""
	}
	return "*****" + t.Last4()
}

// Format masks t for every fmt verb (%s, %v, %#v, %x, …); %q quotes the
// masked form.
func (t TaxID) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", t.String())
	default:
		fmt.Fprint(f, t.String())
	}
}

// LogValue masks t in log/slog output.
func (t TaxID) LogValue() slog.Value { return slog.StringValue(t.String()) }

// MarshalText masks t in JSON and other text encodings; a TaxID is never
// read back from one.
func (t TaxID) MarshalText() ([]byte, error) { return []byte(t.String()), nil }
