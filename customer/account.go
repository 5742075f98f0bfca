package customer

import (
	"crypto/rand"
	"math/big"
)

// newAccountNumber returns a random ten-digit account number: nine digits
// (the first non-zero) and a Luhn check digit, so a mistyped digit or a swap
// of neighbours is caught before a lookup.
func newAccountNumber() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(900_000_000))
	if err != nil {
		return "", err
	}
	body := big.NewInt(0).Add(n, big.NewInt(100_000_000)).String()
	return body + string(rune('0'+luhnDigit(body))), nil
}

// ValidAccountNumber reports whether s is ten digits with a correct check
// digit.
func ValidAccountNumber(s string) bool {
	if len(s) != 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return int(s[9]-'0') == luhnDigit(s[:9])
}

// luhnDigit computes the Luhn check digit of a string of digits.
func luhnDigit(body string) int {
	sum := 0
	double := true
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return (10 - sum%10) % 10
}
