// Package valid holds the field checks every domain package validates its
// input with, so a name, an email or a phone number is judged the same way
// on a customer, a contact or a document. Each check records its finding on
// a crm.Problems under the field's name and returns the normalised value.
package valid

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/ispstack/crm"
)

// MaxEmail is the longest email address accepted, in bytes (RFC 5321).
const MaxEmail = 254

// Text trims s and checks its length in characters and that it is printable.
func Text(p *crm.Problems, field, s string, min, max int) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n < min && min == 1:
		p.Add(field, "is required")
	case n < min || n > max:
		p.Addf(field, "must be between %d and %d characters", min, max)
	case strings.ContainsFunc(s, isControl):
		p.Add(field, "must not contain control characters")
	}
	return s
}

// Email validates a bare address (no display name) and lower-cases its domain;
// the local part is kept as given, since mail servers may treat case in it.
func Email(p *crm.Problems, field, s string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			p.Add(field, "is required")
		}
		return s
	}
	a, err := mail.ParseAddress(s)
	at := strings.LastIndexByte(s, '@')
	if err != nil || a.Address != s || len(s) > MaxEmail || at < 1 || !strings.Contains(s[at:], ".") {
		p.Add(field, "must be a valid email address")
		return s
	}
	return s[:at] + strings.ToLower(s[at:])
}

// Phone validates a 10–20 character phone number and returns it in E.164,
// reading numbers without a country code as numbers of region.
func Phone(p *crm.Problems, field, s, region string, required bool) string {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			p.Add(field, "is required")
		}
		return s
	}
	if n := utf8.RuneCountInString(s); n < 10 || n > 20 {
		p.Add(field, "must be between 10 and 20 characters")
		return s
	}
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		p.Add(field, "must be a valid phone number")
		return s
	}
	return phonenumbers.Format(num, phonenumbers.E164)
}

// EnumMessage says which values an enum field accepts.
func EnumMessage[T ~string](missing bool, values []T) string {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	if missing {
		return "is required (one of " + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf("must be one of %s", strings.Join(names, ", "))
}

// isControl reports whether r is a control character other than newline and tab.
func isControl(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }
