package bulk

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// TestFormulaEscaping checks the escaping of cells a spreadsheet would run
// as formulas, and that unescaping gives back exactly what was escaped.
func TestFormulaEscaping(t *testing.T) {
	tests := []struct {
		cell, escaped string
	}{
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+12125550142", "'+12125550142"},
		{"-1", "'-1"},
		{"@home", "'@home"},
		{"\tindented", "'\tindented"},
		{"\rreturn", "'\rreturn"},
		{"'=quoted already", "''=quoted already"},
		{"''-twice", "'''-twice"},
		{"plain", "plain"},
		{"a=b", "a=b"},
		{"'quoted text", "'quoted text"},
		{"'", "'"},
		{"", ""},
		{" =spaced", " =spaced"},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			if got := string(escapeFormula([]byte("prefix:"+tt.cell), len("prefix:"))); got != "prefix:"+tt.escaped {
				t.Errorf("escapeFormula(%q) = %q, want %q", tt.cell, got, "prefix:"+tt.escaped)
			}
			if got := unescapeFormula(tt.escaped); got != tt.cell {
				t.Errorf("unescapeFormula(%q) = %q, want %q", tt.escaped, got, tt.cell)
			}
		})
	}
}

// TestAppendJSONString checks the JSON strings of NDJSON exports against
// encoding/json (without its HTML escaping).
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "line\nbreak\r\ttab", "\x00\x01\x1f\x7f",
		"ünïcödé ✓ 😀", "bad \xff utf-8 \xc3", "separators \u2028 \u2029", "<html> & </html>"} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSONString(nil, s)); got != string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want.Bytes())
		}
	}
}

// TestAppendFloat checks numbers against encoding/json.
func TestAppendFloat(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 40.7484, -73.9857, 1e-7, 123456789, 1e21, 1.5e-300, math.MaxFloat64, -0.000001} {
		want, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(appendFloat(nil, f, 64)); got != string(want) {
			t.Errorf("appendFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

// TestCSVMatchesEncodingCSV checks the CSV an export writes: encoding/csv
// reads it back as the header and Row's cells, and its Writer writes the
// same, but for a record of one empty cell, which it writes as a blank
// line that readers skip and the export as "".
func TestCSVMatchesEncodingCSV(t *testing.T) {
	customers := []customer.Customer{
		{ID: "a", Name: " leading space", Industry: "lone\rreturn", Notes: `\.`, Company: `a "quoted" word`, Email: `"`,
			BillingAddress: customer.Address{Street: "line\nbreak", City: "comma, city", Unit: "ünï\ttab", State: "=1+1"}},
		{ID: "b", Name: "plain", BillingAddress: customer.Address{City: "\u00a0nbsp"}},
	}
	for _, fields := range [][]string{nil, {"service_address.city"}, {"name", "billing_address"}} {
		cols, err := SelectColumns(fields)
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{cols.Names()}
		var written, got bytes.Buffer
		cw := csv.NewWriter(&written)
		_ = cw.Write(cols.Names())
		x := newExportWriter(&got, FormatCSV, cols)
		x.header()
		for i := range customers {
			want = append(want, cols.Row(&customers[i]))
			_ = cw.Write(want[i+1])
			x.row(&customers[i])
		}
		cw.Flush()
		if err := x.flush(); err != nil {
			t.Fatal(err)
		}
		read, err := csv.NewReader(bytes.NewReader(got.Bytes())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, read); diff != "" {
			t.Errorf("fields %q: records (-want +got):\n%s", fields, diff)
		}
		if len(fields) != 1 {
			if diff := cmp.Diff(written.String(), got.String()); diff != "" {
				t.Errorf("fields %q (-encoding/csv +export):\n%s", fields, diff)
			}
		}
	}
}

// rawText is a text type whose text is its own bytes, valid UTF-8 or
// not.
type rawText string

func (r rawText) MarshalText() ([]byte, error)        { return []byte(r), nil }
func (r rawText) AppendText(b []byte) ([]byte, error) { return append(b, r...), nil }
func (r rawText) IsZero() bool                        { return r == "" }

// TestTextLeaf checks the cells and JSON of types written by their text
// (crm.Date) against encoding/json, which an export spares: its string as
// the cell, its output as the JSON, invalid UTF-8 and escaped characters
// included.
func TestTextLeaf(t *testing.T) {
	values := []any{crm.Date{Year: 2019, Month: time.May, Day: 4}, crm.Date{Year: 1900, Month: time.January, Day: 1},
		rawText("plain"), rawText("<b> & </b>"), rawText("bad \xff utf-8"), rawText(`quote " \ backslash`), rawText("line\nbreak"), rawText("\u2028")}
	for _, val := range values {
		v := reflect.New(reflect.TypeOf(val)).Elem() // addressable, as a customer's field
		v.Set(reflect.ValueOf(val))
		l := leafFor(v.Type())
		wantJSON, err := json.Marshal(val)
		if err != nil {
			t.Fatal(err)
		}
		var wantCell string
		if err := json.Unmarshal(wantJSON, &wantCell); err != nil {
			t.Fatal(err)
		}
		for _, v := range []reflect.Value{v, reflect.ValueOf(val)} {
			if got := string(l.cell([]byte("x"), v)); got != "x"+wantCell {
				t.Errorf("cell of %#v (addressable %v) = %q, want %q", val, v.CanAddr(), got, "x"+wantCell)
			}
			if got := string(l.json([]byte("x"), v)); got != "x"+string(wantJSON) {
				t.Errorf("JSON of %#v (addressable %v) = %s, want %s", val, v.CanAddr(), got, "x"+string(wantJSON))
			}
		}
	}
	for _, zero := range []any{crm.Date{}, rawText("")} {
		if got := leafFor(reflect.TypeOf(zero)).cell(nil, reflect.ValueOf(zero)); len(got) != 0 {
			t.Errorf("cell of the zero %T = %q, want none", zero, got)
		}
	}
}
