package analytics

import "math"

// round rounds v to n decimals, halves away from zero: the one rounding
// of every figure the analytics answer with (shares, means, percentages,
// months).
func round(v float64, n int) float64 {
	p := math.Pow(10, float64(n))
	return math.Round(v*p) / p
}
