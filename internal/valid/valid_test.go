package valid_test

import (
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// problemsOf runs check on a fresh Problems and returns the normalised
// value and the message recorded for field ("" for none).
func problemsOf(check func(p *crm.Problems) string) (string, string) {
	var p crm.Problems
	v := check(&p)
	var e *crm.Error
	if err := p.Err(); err != nil {
		e = err.(*crm.Error)
		return v, e.Fields[0].Message
	}
	return v, ""
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name      string
		check     func(p *crm.Problems) string
		want, msg string
	}{
		{"text trimmed", func(p *crm.Problems) string { return valid.Text(p, "f", "  Ada ", 1, 10) }, "Ada", ""},
		{"text required", func(p *crm.Problems) string { return valid.Text(p, "f", " ", 1, 10) }, "", "is required"},
		{"text too long", func(p *crm.Problems) string { return valid.Text(p, "f", "ééééé", 0, 4) }, "ééééé", "must be between 0 and 4 characters"},
		{"text control", func(p *crm.Problems) string { return valid.Text(p, "f", "a\x00b", 0, 4) }, "a\x00b", "must not contain control characters"},
		{"text NUL", func(p *crm.Problems) string { return valid.Text(p, "f", "a\x00", 0, 4) }, "a\x00", "must not contain control characters"},
		{"text DEL", func(p *crm.Problems) string { return valid.Text(p, "f", "a\x7fb", 0, 4) }, "a\x7fb", "must not contain control characters"},
		{"text C1", func(p *crm.Problems) string { return valid.Text(p, "f", "a\u0085b", 0, 4) }, "a\u0085b", "must not contain control characters"},
		{"text tab", func(p *crm.Problems) string { return valid.Text(p, "f", "a\tb", 0, 4) }, "a\tb", "must not contain control characters"},
		{"text newline", func(p *crm.Problems) string { return valid.Text(p, "f", "a\nb", 0, 4) }, "a\nb", "must not contain control characters"},
		{"lines keep tab, newline, return", func(p *crm.Problems) string { return valid.Lines(p, "f", "a\tb\r\nc", 0, 9) }, "a\tb\r\nc", ""},
		{"lines NUL", func(p *crm.Problems) string { return valid.Lines(p, "f", "a\n\x00", 0, 9) }, "a\n\x00", "must not contain control characters"},
		{"lines C1", func(p *crm.Problems) string { return valid.Lines(p, "f", "a\u009b", 0, 9) }, "a\u009b", "must not contain control characters"},
		{"text RLO", func(p *crm.Problems) string { return valid.Text(p, "f", "\u202eAda", 0, 9) }, "\u202eAda", "must not contain bidirectional control characters"},
		{"lines isolate", func(p *crm.Problems) string { return valid.Lines(p, "f", "Ada\u2067x", 0, 9) }, "Ada\u2067x", "must not contain bidirectional control characters"},
		{"text LRM", func(p *crm.Problems) string { return valid.Text(p, "f", "A\u200eda", 0, 9) }, "A\u200eda", "must not contain bidirectional control characters"},
		{"text Arabic letter mark", func(p *crm.Problems) string { return valid.Text(p, "f", "A\u061cda", 0, 9) }, "A\u061cda", "must not contain bidirectional control characters"},
		{"text only zero-width", func(p *crm.Problems) string { return valid.Text(p, "f", "\u200b\u200d", 1, 9) }, "\u200b\u200d", "must contain a visible character"},
		{"text only Hangul filler", func(p *crm.Problems) string { return valid.Text(p, "f", "\u3164", 1, 9) }, "\u3164", "must contain a visible character"},
		{"text only combining mark", func(p *crm.Problems) string { return valid.Text(p, "f", "\u0301", 1, 9) }, "\u0301", "must contain a visible character"},
		{"optional text only invisible", func(p *crm.Problems) string { return valid.Text(p, "f", "\ufeff", 0, 9) }, "\ufeff", "must contain a visible character"},
		{"text with marks and joiners", func(p *crm.Problems) string { return valid.Text(p, "f", "Zoe\u0301 \u0928\u094d\u200d", 1, 9) }, "Zoe\u0301 \u0928\u094d\u200d", ""},
		{"email domain lower-cased", func(p *crm.Problems) string { return valid.Email(p, "f", "Ada@Example.COM", true) }, "Ada@example.com", ""},
		{"email with display name", func(p *crm.Problems) string { return valid.Email(p, "f", "Ada <ada@example.com>", true) }, "Ada <ada@example.com>", "must be a valid email address"},
		{"email with RLO", func(p *crm.Problems) string { return valid.Email(p, "f", "a\u202e@example.com", true) }, "a\u202e@example.com", "must not contain bidirectional control characters"},
		{"email with NUL", func(p *crm.Problems) string { return valid.Email(p, "f", "a\x00@example.com", true) }, "a\x00@example.com", "must not contain control characters"},
		{"phone with RLO", func(p *crm.Problems) string { return valid.Phone(p, "f", "+1 212 555 0142\u202e", "US", true) }, "+1 212 555 0142\u202e", "must not contain bidirectional control characters"},
		{"email optional", func(p *crm.Problems) string { return valid.Email(p, "f", "", false) }, "", ""},
		{"phone to E.164", func(p *crm.Problems) string { return valid.Phone(p, "f", "(212) 555-0142", "US", true) }, "+12125550142", ""},
		{"phone invalid", func(p *crm.Problems) string { return valid.Phone(p, "f", "+1 000 000 0000", "US", true) }, "+1 000 000 0000", "must be a valid phone number"},
		{"phone required", func(p *crm.Problems) string { return valid.Phone(p, "f", "", "US", true) }, "", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := problemsOf(tt.check)
			if got != tt.want || msg != tt.msg {
				t.Errorf("got %q, problem %q; want %q, %q", got, msg, tt.want, tt.msg)
			}
		})
	}
	if got := valid.EnumMessage(true, []string{"a", "b"}); got != "is required (one of a, b)" {
		t.Errorf("EnumMessage(missing) = %q", got)
	}
	if got := valid.EnumMessage(false, []string{"a", "b"}); got != "must be one of a, b" {
		t.Errorf("EnumMessage = %q", got)
	}
}

func TestChars(t *testing.T) {
	tests := []struct {
		s         string
		multiLine bool
		msg       string
	}{
		{"", false, ""},
		{" ", false, ""}, // Chars alone asks for no visible character
		{"Ada Lovelace", false, ""},
		{"\x00", false, "must not contain control characters"},
		{"\x00", true, "must not contain control characters"},
		{"a\rb", false, "must not contain control characters"},
		{"a\rb", true, ""},
		{"\u0080", true, "must not contain control characters"},
		{"\u202a", true, "must not contain bidirectional control characters"},
		{"\u2069", false, "must not contain bidirectional control characters"},
		{"\u200f", false, "must not contain bidirectional control characters"},
	}
	for _, tt := range tests {
		_, msg := problemsOf(func(p *crm.Problems) string { valid.Chars(p, "q", tt.s, tt.multiLine); return "" })
		if msg != tt.msg {
			t.Errorf("Chars(%q, multiLine %v): problem %q, want %q", tt.s, tt.multiLine, msg, tt.msg)
		}
	}
}

func TestDateAndTime(t *testing.T) {
	tests := []struct {
		name string
		d    crm.Date
		msg  string
	}{
		{"first", crm.MinDate, ""},
		{"last", crm.MaxDate, ""},
		{"year 0000", crm.Date{Year: 0, Month: time.January, Day: 1}, "must be between 1900-01-01 and 2100-12-31"},
		{"day before first", crm.Date{Year: 1899, Month: time.December, Day: 31}, "must be between 1900-01-01 and 2100-12-31"},
		{"9999-12-31", crm.Date{Year: 9999, Month: time.December, Day: 31}, "must be between 1900-01-01 and 2100-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, msg := problemsOf(func(p *crm.Problems) string { valid.Date(p, "d", tt.d); return "" }); msg != tt.msg {
				t.Errorf("Date: problem %q, want %q", msg, tt.msg)
			}
			// The same bound holds for a time on that date, read in UTC.
			at := tt.d.Time().Add(23 * time.Hour)
			if _, msg := problemsOf(func(p *crm.Problems) string { valid.Time(p, "t", at); return "" }); msg != tt.msg {
				t.Errorf("Time: problem %q, want %q", msg, tt.msg)
			}
			_, err := crm.ParseDate(tt.d.String())
			if got := errString(err); got != tt.msg {
				t.Errorf("ParseDate(%s): %q, want %q", tt.d, got, tt.msg)
			}
		})
	}
	east := time.FixedZone("UTC+2", 2*3600)
	if _, msg := problemsOf(func(p *crm.Problems) string {
		valid.Time(p, "t", time.Date(1900, time.January, 1, 1, 0, 0, 0, east))
		return ""
	}); msg == "" {
		t.Error("Time(1900-01-01T01:00+02:00) passed; it is 1899-12-31 in UTC")
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
