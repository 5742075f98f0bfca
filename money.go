package crm

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in minor units (cents). In JSON it is a number in major
// units with at most two decimals, so 1999 is written as 19.99; parsing is
// exact (no float rounding) and rejects a third decimal.
type Money int64

// maxMoneyMajor bounds parsed amounts well inside int64 minor units.
const maxMoneyMajor = 1_000_000_000_000

// Float is m in major units, for arithmetic that leaves exact money
// behind (models, ratios).
func (m Money) Float() float64 { return float64(m) / 100 }

// MoneyOf rounds a major-unit amount to the nearest minor unit.
func MoneyOf(major float64) Money { return Money(math.Round(major * 100)) }

// String renders m in major units with two decimals.
func (m Money) String() string { return string(m.append(nil)) }

// append appends m in major units with two decimals; encoding money is on
// the path of every response that carries it, so it avoids fmt.
func (m Money) append(b []byte) []byte {
	v := int64(m)
	if v < 0 {
		b, v = append(b, '-'), -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	cents := v % 100
	return append(b, '.', byte('0'+cents/10), byte('0'+cents%10))
}

// MarshalJSON writes m as a JSON number in major units.
func (m Money) MarshalJSON() ([]byte, error) { return m.append(make([]byte, 0, 24)), nil }

// UnmarshalJSON reads a JSON number with at most two decimals.
func (m *Money) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// ParseMoney parses a decimal amount in major units ("19.99", "20", "-5.5").
func ParseMoney(s string) (Money, error) {
	bad := fmt.Errorf("must be an amount with at most two decimals")
	if s == "" || strings.ContainsAny(s, "eE+") {
		return 0, bad
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, bad
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > maxMoneyMajor {
		return 0, bad
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || strings.HasPrefix(frac, "-") {
			return 0, bad
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return Money(v), nil
}
