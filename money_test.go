package crm_test

import (
	"encoding/json"
	"testing"

	"github.com/ispstack/crm"
)

func TestParseMoney(t *testing.T) {
	tests := []struct {
		in      string
		want    crm.Money
		wantErr bool
	}{
		{"0", 0, false},
		{"19.99", 1999, false},
		{"20", 2000, false},
		{"5.5", 550, false},
		{"-3.05", -305, false},
		{"1.999", 0, true},
		{"1.", 0, true},
		{".5", 0, true},
		{"1e3", 0, true},
		{"+1", 0, true},
		{"abc", 0, true},
		{"1.-5", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := crm.ParseMoney(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseMoney(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestMoneyJSON(t *testing.T) {
	b, err := json.Marshal(struct{ P crm.Money }{-1234})
	if err != nil || string(b) != `{"P":-12.34}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var v struct{ P crm.Money }
	if err := json.Unmarshal([]byte(`{"P":49.9}`), &v); err != nil || v.P != 4990 {
		t.Fatalf("Unmarshal = %v, %v", v.P, err)
	}
	if err := json.Unmarshal([]byte(`{"P":"49.90"}`), &v); err == nil {
		t.Fatal("Unmarshal of a string succeeded; want error")
	}
}

func TestDateJSON(t *testing.T) {
	var d crm.Date
	if err := json.Unmarshal([]byte(`"2024-02-29"`), &d); err != nil || d.String() != "2024-02-29" {
		t.Fatalf("Unmarshal = %v, %v", d, err)
	}
	for _, bad := range []string{`"2023-02-29"`, `"2024-1-1"`, `20240101`, `"2024-01-01T00:00:00Z"`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) succeeded; want error", bad)
		}
	}
}

func TestErrorCode(t *testing.T) {
	var p crm.Problems
	p.Add("email", "must be a valid email address")
	p.Add("phone", "is required")
	err := p.Err()
	if crm.ErrorCode(err) != crm.CodeInvalid || len(crm.ErrorFields(err)) != 2 || crm.ErrorMessage(err) != "2 fields are invalid" {
		t.Fatalf("Problems.Err() = %v", err)
	}
	if (crm.Problems{}).Err() != nil {
		t.Fatal("empty Problems.Err() != nil")
	}
	if crm.ErrorCode(json.Unmarshal([]byte("{"), &struct{}{})) != crm.CodeInternal {
		t.Fatal("foreign error is not internal")
	}
	if crm.ErrorMessage(errPlain("secret detail")) == "secret detail" {
		t.Fatal("ErrorMessage leaks a foreign error's text")
	}
}

type errPlain string

func (e errPlain) Error() string { return string(e) }

func TestMoneyString(t *testing.T) {
	for m, want := range map[crm.Money]string{0: "0.00", 5: "0.05", 1999: "19.99", -1: "-0.01", -12345: "-123.45", 100: "1.00"} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(m), got, want)
		}
		if b, _ := m.MarshalJSON(); string(b) != want {
			t.Errorf("Money(%d).MarshalJSON() = %s, want %s", int64(m), b, want)
		}
	}
	b, _ := json.Marshal(crm.Date{Year: 2021, Month: 3, Day: 9})
	if string(b) != `"2021-03-09"` {
		t.Errorf("json.Marshal(Date) = %s", b)
	}
}
