package valid_test

import (
	"testing"

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
		{"email domain lower-cased", func(p *crm.Problems) string { return valid.Email(p, "f", "Ada@Example.COM", true) }, "Ada@example.com", ""},
		{"email with display name", func(p *crm.Problems) string { return valid.Email(p, "f", "Ada <ada@example.com>", true) }, "Ada <ada@example.com>", "must be a valid email address"},
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
