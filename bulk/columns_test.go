package bulk_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
)

// fullCustomer is a customer with every field set, several to text a
// spreadsheet would run as a formula.
func fullCustomer() *customer.Customer {
	score := 720
	at := time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)
	return &customer.Customer{
		ID: "0195f0a0-0000-7000-8000-000000000001", AccountNumber: "1000000008",
		Name: "=SUM(A1)", Email: "ada@example.com", Phone: "+12125550142",
		Type: customer.TypeSmallBusiness, Status: customer.StatusSuspended,
		BillingAddress: customer.Address{Street: "350 5th Ave", Unit: "-21", City: "New York", State: "NY", PostalCode: "10118",
			Country: "US", Coordinates: &customer.Coordinates{Latitude: 40.7484, Longitude: -73.9857}},
		ServiceAddress: &customer.Address{Street: "@home", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US"},
		TaxID:          &customer.TaxID{Ciphertext: []byte("sealed"), BlindIndex: "blind"}, TaxIDLast4: "6789",
		Company: `Babbage, "Lovelace" & Co`, Industry: "'=quoted already", CreditScore: &score,
		PreferredContact:         customer.ContactSMS,
		CommunicationPreferences: customer.CommunicationPreferences{MarketingEmails: true, BillingReminders: true},
		EmergencyContact:         &customer.EmergencyContact{Name: "Charles Babbage", Relationship: "friend", Phone: "+12125550177", Email: "cb@example.com"},
		Notes:                    "line one\nline two, with a comma\t+tab",
		ExternalID:               "=legacy-42",
		CustomerSince:            crm.Date{Year: 2019, Month: time.May, Day: 4},
		Suspension:               &customer.Suspension{Reason: customer.ReasonFraud, Notes: "n", Since: at},
		Version:                  3, CreatedAt: at, UpdatedAt: at.Add(time.Hour),
	}
}

// TestRowRoundTrip checks that the CSV record of a customer reads back as
// its writable fields, with formula escaping on text cells only and no
// tax id.
func TestRowRoundTrip(t *testing.T) {
	c := fullCustomer()
	cols := bulk.ExportColumns()
	row := cols.Row(c)
	header, err := bulk.ParseHeader(cols.Names())
	if err != nil {
		t.Fatal(err)
	}
	in, problems := header.Input(row)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	if diff := cmp.Diff(customer.InputOf(c), in); diff != "" {
		t.Errorf("Input (-want +got):\n%s", diff)
	}

	cells := map[string]string{}
	for i, name := range cols.Names() {
		cells[name] = row[i]
	}
	for name, want := range map[string]string{
		"id": c.ID, "account_number": "1000000008", "status": "suspended",
		"created_at": "2025-03-01T12:00:00.123456Z", "updated_at": "2025-03-01T13:00:00.123456Z",
		"name": "'=SUM(A1)", "phone": "'+12125550142", "billing_address.unit": "'-21", "service_address.street": "'@home",
		"industry": "''=quoted already", "company": `Babbage, "Lovelace" & Co`,
		"billing_address.coordinates.longitude": "-73.9857", "credit_score": "720",
		"communication_preferences.marketing_emails": "true", "communication_preferences.outage_alerts": "false",
		"service_address.unit": "", "service_address.coordinates.latitude": "",
		"emergency_contact.relationship": "friend",
	} {
		if got, ok := cells[name]; !ok || got != want {
			t.Errorf("cell %s = %q (present %v), want %q", name, got, ok, want)
		}
	}
	for _, name := range cols.Names() {
		if strings.HasPrefix(name, "tax_id") || name == "version" || strings.HasPrefix(name, "suspension") {
			t.Errorf("an export has the column %s", name)
		}
	}
	if slices.ContainsFunc(row, func(cell string) bool { return strings.Contains(cell, "6789") }) {
		t.Errorf("a cell holds the tax id: %q", row)
	}
}

// TestColumnsCoverInput checks that every field of the create request's
// JSON, nested ones dotted, is an export column, in customer.Input's
// order between the identity columns.
func TestColumnsCoverInput(t *testing.T) {
	names := bulk.ExportColumns().Names()
	for field := range crm.Flatten(customer.InputOf(fullCustomer())) {
		if !slices.Contains(names, field) {
			t.Errorf("%s is not an export column", field)
		}
	}
	if got := append(names[:2:2], names[len(names)-3:]...); !slices.Equal(got, []string{"id", "account_number", "status", "created_at", "updated_at"}) {
		t.Errorf("identity columns = %q", got)
	}
	if i, j := slices.Index(names, "billing_address.street"), slices.Index(names, "billing_address.coordinates.longitude"); j-i != 7 {
		t.Errorf("billing_address columns are not together: %q", names)
	}
}

// TestParseHeader checks which headers an import accepts: every column,
// the read-only ones (ignored) and tax_id; unknown and repeated names
// are refused, each named.
func TestParseHeader(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   []string // the columns, when accepted
		fields []string // the problems, when refused
	}{
		{"export header", bulk.ExportColumns().Names(), bulk.ExportColumns().Names(), nil},
		{"byte order mark and spaces", []string{"\ufeffname", " email ", "billing_address.city"}, []string{"name", "email", "billing_address.city"}, nil},
		{"read-only and tax_id", []string{"id", "version", "tax_id_last4", "suspension.reason", "tax_id", "name"},
			[]string{"id", "version", "tax_id_last4", "suspension.reason", "tax_id", "name"}, nil},
		{"unknown", []string{"name", "nmae", "billing_address.citty", "billing_address"}, nil, []string{"nmae", "billing_address.citty", "billing_address"}},
		{"repeated", []string{"name", "email", "name"}, nil, []string{"name"}},
		{"empty name", []string{"name", ""}, nil, []string{"header"}},
		{"no columns", nil, nil, []string{"header"}},
		{"unprintable", []string{"na\x00me"}, nil, []string{"header"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, err := bulk.ParseHeader(tt.header)
			if tt.fields != nil {
				if crm.ErrorCode(err) != crm.CodeInvalid {
					t.Fatalf("err = %v, want invalid", err)
				}
				if diff := cmp.Diff(tt.fields, fieldNames(crm.ErrorFields(err))); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cols.Names()); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInput checks how CSV records become a customer.Input.
func TestInput(t *testing.T) {
	taxID := "123-45-6789"
	tests := []struct {
		name     string
		header   []string
		record   []string
		want     customer.Input
		problems crm.Problems
	}{
		{"dotted nesting",
			[]string{"name", "billing_address.city", "billing_address.coordinates.latitude", "communication_preferences.marketing_emails", "emergency_contact.phone"},
			[]string{"Ada", "Springfield", "39.78", "true", "+12125550177"},
			customer.Input{Name: "Ada", BillingAddress: &customer.Address{City: "Springfield", Coordinates: &customer.Coordinates{Latitude: 39.78}},
				CommunicationPreferences: &customer.CommunicationPreferences{MarketingEmails: true},
				EmergencyContact:         &customer.EmergencyContact{Phone: "+12125550177"}}, nil},
		{"empty cells are absent",
			[]string{"name", "service_address.street", "service_address.city", "credit_score", "communication_preferences.outage_alerts", "emergency_contact.name"},
			[]string{"Ada", "", "", "", "", ""},
			customer.Input{Name: "Ada"}, nil},
		{"read-only columns ignored, tax_id set",
			[]string{"id", "status", "version", "tax_id", "name"},
			[]string{"x", "closed", "7", taxID, "Ada"},
			customer.Input{Name: "Ada", TaxID: &taxID}, nil},
		{"formula escaping undone",
			[]string{"name", "notes", "company", "phone"},
			[]string{"'=SUM(A1)", "'''-x", "'plain quote", "'+12125550142"},
			customer.Input{Name: "=SUM(A1)", Notes: "''-x", Company: "'plain quote", Phone: "+12125550142"}, nil},
		{"cells that do not parse",
			[]string{"credit_score", "communication_preferences.marketing_emails", "billing_address.coordinates.longitude", "billing_address.coordinates.latitude"},
			[]string{"7x0", "yes", "NaN", "'-1"},
			customer.Input{BillingAddress: &customer.Address{Coordinates: &customer.Coordinates{}}, CommunicationPreferences: &customer.CommunicationPreferences{}},
			crm.Problems{{Field: "credit_score", Message: "must be an integer in range"},
				{Field: "communication_preferences.marketing_emails", Message: "must be true or false"},
				{Field: "billing_address.coordinates.longitude", Message: "must be a number"},
				{Field: "billing_address.coordinates.latitude", Message: "must be a number"}}},
		{"cell count", []string{"name", "email"}, []string{"Ada"}, customer.Input{},
			crm.Problems{{Field: "", Message: "has 1 cells where the header names 2 columns"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, err := bulk.ParseHeader(tt.header)
			if err != nil {
				t.Fatal(err)
			}
			in, problems := cols.Input(tt.record)
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if tt.problems == nil {
				if diff := cmp.Diff(tt.want, in); diff != "" {
					t.Errorf("Input (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestSelectColumns checks the fields of an export.
func TestSelectColumns(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   []string
		errs   int // problems naming fields
	}{
		{"none is all", nil, bulk.ExportColumns().Names(), 0},
		{"in the order given", []string{"name", " email ", "id"}, []string{"name", "email", "id"}, 0},
		{"an object", []string{"billing_address.coordinates", "status"},
			[]string{"billing_address.coordinates.latitude", "billing_address.coordinates.longitude", "status"}, 0},
		{"unknown", []string{"nmae", "version", "suspension.reason"}, nil, 3},
		{"tax ids", []string{"tax_id", "tax_id_last4"}, nil, 2},
		{"empty", []string{"name", ""}, nil, 1},
		{"twice", []string{"name", "billing_address", "billing_address.city", "name"}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, err := bulk.SelectColumns(tt.fields)
			if tt.errs > 0 {
				want := slices.Repeat([]string{"fields"}, tt.errs)
				if diff := cmp.Diff(want, fieldNames(crm.ErrorFields(err))); diff != "" {
					t.Errorf("problems (-want +got):\n%s\n%v", diff, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, cols.Names()); diff != "" {
				t.Errorf("columns (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInputFromJSON checks how a JSON row becomes a customer.Input.
func TestInputFromJSON(t *testing.T) {
	taxID, cleared := "123-45-6789", ""
	tests := []struct {
		name   string
		row    string
		want   customer.Input
		fields []string
	}{
		{"read-only fields ignored",
			`{"id":"x","account_number":"1","status":"active","version":3,"created_at":"2025-01-01T00:00:00Z","updated_at":null,` +
				`"tax_id_last4":"6789","suspension":{"reason":"fraud"},"name":"Ada","billing_address":{"city":"X","coordinates":null},"tax_id":"123-45-6789"}`,
			customer.Input{Name: "Ada", BillingAddress: &customer.Address{City: "X"}, TaxID: &taxID}, nil},
		{"null tax_id clears", `{"tax_id":null}`, customer.Input{TaxID: &cleared}, nil},
		{"empty tax_id", `{"tax_id":""}`, customer.Input{}, []string{"tax_id"}},
		{"unknown fields", `{"nmae":"x","Name":"y","billing_address":{"citty":"z"}}`, customer.Input{}, []string{"Name", "nmae", "billing_address.citty"}},
		{"wrong types", `{"credit_score":"high","communication_preferences":{"marketing_emails":"yes"},"name":"Ada"}`, customer.Input{},
			[]string{"communication_preferences.marketing_emails", "credit_score"}},
		{"not an object", `[1]`, customer.Input{}, []string{""}},
		{"null", `null`, customer.Input{}, []string{""}},
		{"not JSON", `{"name":`, customer.Input{}, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, problems := bulk.InputFromJSON([]byte(tt.row))
			if diff := cmp.Diff(tt.fields, fieldNames(problems)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", diff, problems)
			}
			if tt.fields == nil {
				if diff := cmp.Diff(tt.want, in); diff != "" {
					t.Errorf("Input (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// fieldNames are the fields of problems, in order.
func fieldNames(p []crm.FieldError) []string {
	var out []string
	for _, f := range p {
		out = append(out, f.Field)
	}
	return out
}

// keys are the sorted keys of m.
func keys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
