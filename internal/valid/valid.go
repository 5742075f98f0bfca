// Package valid holds the field checks every domain package validates its
// input with, so a name, an email or a phone number is judged the same way
// on a customer, a contact or a document. Each check records its finding on
// a crm.Problems under the field's name and returns the normalised value.
//
// Every free-text input, query parameters included, goes through Chars:
// control characters and bidirectional controls are refused before they
// reach a store (Postgres rejects NUL in text; bidi controls make a name
// display as something it is not). Dates and times go through Date and
// Time, which bound them to crm.MinDate..crm.MaxDate.
package valid

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/ispstack/crm"
)

// MaxEmail is the longest email address accepted, in bytes (RFC 5321).
const MaxEmail = 254

// Text trims s and checks it as one line of text: its length in
// characters, then Printable.
func Text(p *crm.Problems, field, s string, min, max int) string {
	return text(p, field, s, min, max, false)
}

// Lines is Text for multi-line text such as notes, which may hold tabs and
// line breaks.
func Lines(p *crm.Problems, field, s string, min, max int) string {
	return text(p, field, s, min, max, true)
}

func text(p *crm.Problems, field, s string, min, max int, multiLine bool) string {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n < min && min == 1:
		p.Add(field, "is required")
	case n < min || n > max:
		p.Addf(field, "must be between %d and %d characters", min, max)
	default:
		Printable(p, field, s, multiLine)
	}
	return s
}

// Printable checks s with Chars and, when s is not empty, that it has a
// visible character: text made only of spaces, zero-width or other
// invisible characters reads as nothing. It reports whether s passed.
func Printable(p *crm.Problems, field, s string, multiLine bool) bool {
	if !Chars(p, field, s, multiLine) {
		return false
	}
	if s != "" && !strings.ContainsFunc(s, isVisible) {
		p.Add(field, "must contain a visible character")
		return false
	}
	return true
}

// Chars is the character check of every free-text input: s must hold no
// control character (C0, DEL, C1; a multi-line text may hold tab, line
// feed and carriage return) and no bidirectional control (U+061C,
// U+200E-U+200F, U+202A-U+202E, U+2066-U+2069). It reports whether s
// passed.
func Chars(p *crm.Problems, field, s string, multiLine bool) bool {
	for _, r := range s {
		switch {
		case unicode.IsControl(r) && !(multiLine && (r == '\t' || r == '\n' || r == '\r')):
			p.Add(field, "must not contain control characters")
			return false
		case isBidi(r):
			p.Add(field, "must not contain bidirectional control characters")
			return false
		}
	}
	return true
}

// Date checks that d is between crm.MinDate and crm.MaxDate and reports
// whether it is.
func Date(p *crm.Problems, field string, d crm.Date) bool {
	if err := d.CheckRange(); err != nil {
		p.Add(field, err.Error())
		return false
	}
	return true
}

// Time checks that t falls, in UTC, on a date between crm.MinDate and
// crm.MaxDate and reports whether it does.
func Time(p *crm.Problems, field string, t time.Time) bool {
	return Date(p, field, crm.DateOf(t))
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
	if !Chars(p, field, s, false) {
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
	if !Chars(p, field, s, false) {
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

// isBidi reports whether r is a bidirectional formatting control.
func isBidi(r rune) bool {
	return r == 0x061C || r == 0x200E || r == 0x200F || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// isVisible reports whether r shows on its own: a letter, digit, symbol or
// punctuation; not a space, a format character (zero-width space, joiners),
// a combining mark or another default-ignorable code point (Hangul fillers,
// variation selectors).
func isVisible(r rune) bool {
	return unicode.IsGraphic(r) && !unicode.IsSpace(r) &&
		!unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}
