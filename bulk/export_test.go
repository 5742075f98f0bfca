package bulk_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/testkit"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// pageSize is the export page of the tests: the seven customers take
// three pages.
const pageSize = 3

// fixtureNames and fixtureCities are the customers of a fixture, in
// creation order; two names are formulas.
var (
	fixtureNames  = []string{"Ada Lovelace", "=SUM(A1)", "Grace Hopper", "@admin", "Alan Turing", "-minus", "Edsger Dijkstra"}
	fixtureCities = []string{"Springfield", "Shelbyville", "Springfield", "Capital City", "Springfield", "Shelbyville", "Ogdenville"}
)

// fixture is a store holding the fixture customers, each with a tax id,
// and an export service over it.
type fixture struct {
	st        store.Store
	svc       *app.Services
	exports   *bulk.ExportService
	customers []*customer.Customer // in creation order
}

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	cipher, err := customer.NewTaxIDCipher(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	now := func() time.Time { clock.Add(time.Second); return clock.Now() }
	svc, err := app.New(st, app.Options{TaxIDs: cipher, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, svc: svc, exports: bulk.NewExportService(st, svc.Analytics, bulk.ExportOptions{PageSize: pageSize, Now: now})}
	for i, name := range fixtureNames {
		taxID := fmt.Sprintf("123-45-67%02d", i)
		in := customer.Input{Name: name, Email: fmt.Sprintf("c%d@example.com", i), Phone: fmt.Sprintf("+1212555%04d", 100+i),
			Type: customer.TypeResidential, TaxID: &taxID,
			BillingAddress: &customer.Address{Street: fmt.Sprintf("%d Main St", i+1), City: fixtureCities[i], State: "IL", PostalCode: "62701", Country: "US"}}
		if i%2 == 0 { // every other customer has every field
			score := 600 + i
			in.ServiceAddress = &customer.Address{Street: "+1 Side St", Unit: "2B", City: fixtureCities[i], State: "IL", PostalCode: "62702", Country: "US",
				Coordinates: &customer.Coordinates{Latitude: 39.78, Longitude: -89.65}}
			in.Company, in.Industry, in.Notes = "Acme, \"Inc\"", "telecom", "first line\nsecond line"
			in.CreditScore, in.PreferredContact = &score, customer.ContactSMS
			in.CommunicationPreferences = &customer.CommunicationPreferences{MarketingEmails: true, OutageAlerts: true}
			in.EmergencyContact = &customer.EmergencyContact{Name: "Bob", Relationship: "brother", Phone: fmt.Sprintf("+1212555%04d", 200+i)}
		}
		c, err := svc.Customers.Create(t.Context(), in)
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		f.customers = append(f.customers, c)
	}
	return f
}

// export runs an export into a buffer.
func (f *fixture) export(t *testing.T, ctx context.Context, req bulk.ExportRequest) (string, int, error) {
	t.Helper()
	var b bytes.Buffer
	n, err := f.exports.Export(ctx, &b, req)
	return b.String(), n, err
}

// exportAudit returns the audit entries of exports, oldest first.
func (f *fixture) exportAudit(t *testing.T) []crm.AuditEntry {
	t.Helper()
	entries, err := f.st.ListAudit(t.Context(), "", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []crm.AuditEntry
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Entity == "exports" {
			out = append(out, entries[i])
		}
	}
	return out
}

// TestExportCSV checks that a CSV export of customers across several
// pages re-imports as their writable fields, without tax ids.
func TestExportCSV(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		body, n, err := f.export(t, t.Context(), bulk.ExportRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(f.customers) {
			t.Errorf("n = %d, want %d", n, len(f.customers))
		}
		records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(bulk.ExportColumns().Names(), records[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		cols, err := bulk.ParseHeader(records[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(records)-1 != len(f.customers) {
			t.Fatalf("%d records, want %d", len(records)-1, len(f.customers))
		}
		for i, c := range f.customers {
			rec := records[i+1]
			if rec[0] != c.ID || rec[1] != c.AccountNumber {
				t.Errorf("record %d is %s %s, want %s %s", i, rec[0], rec[1], c.ID, c.AccountNumber)
			}
			in, problems := cols.Input(rec)
			if len(problems) > 0 {
				t.Errorf("record %d: %v", i, problems)
			}
			if diff := cmp.Diff(customer.InputOf(c), in); diff != "" {
				t.Errorf("record %d re-imports as (-want +got):\n%s", i, diff)
			}
		}
		if strings.Contains(body, "1234567") || strings.Contains(body, "45-67") {
			t.Errorf("the export holds a tax id:\n%s", body)
		}
		if !strings.Contains(body, "\n'=SUM(A1),") && !strings.Contains(body, ",'=SUM(A1),") {
			t.Errorf("the formula is not escaped:\n%s", body)
		}
	})
}

// TestExportNDJSON checks that an NDJSON export is one object per
// customer with the export's keys, nested objects as objects (null when
// absent), and that each line re-imports as the customer's writable
// fields.
func TestExportNDJSON(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		body, n, err := f.export(t, t.Context(), bulk.ExportRequest{Format: bulk.FormatNDJSON})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
		if n != len(f.customers) || len(lines) != len(f.customers) {
			t.Fatalf("n = %d, %d lines, want %d", n, len(lines), len(f.customers))
		}
		wantKeys := []string{"account_number", "billing_address", "communication_preferences", "company", "created_at", "credit_score",
			"customer_since", "customer_type", "email", "emergency_contact", "external_id", "id", "industry", "name", "notes", "phone", "preferred_contact",
			"service_address", "status", "updated_at"}
		for i, c := range f.customers {
			var obj map[string]any
			if err := json.Unmarshal([]byte(lines[i]), &obj); err != nil {
				t.Fatalf("line %d: %v: %s", i, err, lines[i])
			}
			if diff := cmp.Diff(wantKeys, keys(obj)); diff != "" {
				t.Errorf("line %d keys (-want +got):\n%s", i, diff)
			}
			if obj["id"] != c.ID || obj["name"] != c.Name || obj["created_at"] != c.CreatedAt.Format(time.RFC3339Nano) {
				t.Errorf("line %d: %s", i, lines[i])
			}
			if (obj["service_address"] == nil) != (c.ServiceAddress == nil) {
				t.Errorf("line %d: service_address %v for %v", i, obj["service_address"], c.ServiceAddress)
			}
			in, problems := bulk.InputFromJSON([]byte(lines[i]))
			if len(problems) > 0 {
				t.Errorf("line %d: %v", i, problems)
			}
			if diff := cmp.Diff(customer.InputOf(c), in); diff != "" {
				t.Errorf("line %d re-imports as (-want +got):\n%s", i, diff)
			}
		}
		if strings.Contains(body, "tax_id") || strings.Contains(body, "45-67") {
			t.Errorf("the export holds a tax id:\n%s", body)
		}
	})
}

// TestExportFields checks the selected columns in both formats.
func TestExportFields(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		cols, err := bulk.SelectColumns([]string{"name", "billing_address.city", "service_address.coordinates"})
		if err != nil {
			t.Fatal(err)
		}
		csvWant := "name,billing_address.city,service_address.coordinates.latitude,service_address.coordinates.longitude\n" +
			"Ada Lovelace,Springfield,39.78,-89.65\n'=SUM(A1),Shelbyville,,\nGrace Hopper,Springfield,39.78,-89.65\n'@admin,Capital City,,\n" +
			"Alan Turing,Springfield,39.78,-89.65\n'-minus,Shelbyville,,\nEdsger Dijkstra,Ogdenville,39.78,-89.65\n"
		ndjsonLine := func(name, city string, full bool) string {
			coords := "null"
			if full {
				coords = `{"coordinates":{"latitude":39.78,"longitude":-89.65}}`
			}
			return fmt.Sprintf(`{"name":%q,"billing_address":{"city":%q},"service_address":%s}`, name, city, coords) + "\n"
		}
		var ndjsonWant strings.Builder
		for i := range fixtureNames {
			ndjsonWant.WriteString(ndjsonLine(fixtureNames[i], fixtureCities[i], i%2 == 0))
		}
		for format, want := range map[bulk.Format]string{bulk.FormatCSV: csvWant, bulk.FormatNDJSON: ndjsonWant.String()} {
			body, _, err := f.export(t, t.Context(), bulk.ExportRequest{Format: format, Columns: cols})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("%s (-want +got):\n%s", format, diff)
			}
		}
	})
}

// TestExportSelection checks the filters and segments of an export, and
// that a bad request writes and audits nothing.
func TestExportSelection(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		seg, err := f.svc.Analytics.CreateSegment(t.Context(), analytics.SegmentInput{Name: "Shelbyville", Rules: analytics.Rules{"city": "shelbyville"}})
		if err != nil {
			t.Fatal(err)
		}
		ids := func(idx ...int) []string {
			var out []string
			for _, i := range idx {
				out = append(out, f.customers[i].ID)
			}
			return out
		}
		tests := []struct {
			name    string
			params  map[string]string
			segment string
			want    []string
		}{
			{"every customer", nil, "", ids(0, 1, 2, 3, 4, 5, 6)},
			{"a city, across pages", map[string]string{"city": "Springfield"}, "", ids(0, 2, 4)},
			{"search", map[string]string{"q": "grace"}, "", ids(2)},
			{"an analytics filter", map[string]string{"churn_level": "low", "city": "Ogdenville"}, "", ids(6)},
			{"a segment", nil, seg.ID, ids(1, 5)},
			{"a segment and a filter", map[string]string{"q": "minus"}, seg.ID, ids(5)},
		}
		idOnly, err := bulk.SelectColumns([]string{"id"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sel, err := bulk.ParseSelection(tt.params, tt.segment)
				if err != nil {
					t.Fatal(err)
				}
				body, _, err := f.export(t, t.Context(), bulk.ExportRequest{Columns: idOnly, Selection: sel})
				if err != nil {
					t.Fatal(err)
				}
				got := strings.Fields(body)[1:]
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ids (-want +got):\n%s", diff)
				}
			})
		}
		audited := len(f.exportAudit(t))

		_, err = bulk.ParseSelection(map[string]string{"city": "x", "min_credit_score": "high", "colour": "red"}, "")
		if diff := cmp.Diff([]string{"colour", "min_credit_score"}, fieldNames(crm.ErrorFields(err))); diff != "" {
			t.Errorf("bad filters (-want +got):\n%s", diff)
		}
		missing, _ := bulk.ParseSelection(nil, "0195f0a0-0000-7000-8000-000000000009")
		for _, tt := range []struct {
			name string
			req  bulk.ExportRequest
			code crm.Code
		}{
			{"unknown segment", bulk.ExportRequest{Selection: missing}, crm.CodeNotFound},
			{"unknown format", bulk.ExportRequest{Format: "xlsx"}, crm.CodeInvalid},
		} {
			body, n, err := f.export(t, t.Context(), tt.req)
			if crm.ErrorCode(err) != tt.code || body != "" || n != 0 {
				t.Errorf("%s: err %v, n %d, body %q", tt.name, err, n, body)
			}
		}
		if got := len(f.exportAudit(t)); got != audited {
			t.Errorf("%d exports audited, want %d: the failed ones are not", got, audited)
		}
	})
}

// TestExportAudit checks the audit entry of an export: who, the format,
// the columns, the filters as given (search text masked), the segment and
// the rows.
func TestExportAudit(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		ctx := crm.WithActor(t.Context(), crm.Actor{ID: "key-admin", RequestID: "req-1"})
		sel, err := bulk.ParseSelection(map[string]string{"q": "Ada Lovelace", "status": "active"}, "")
		if err != nil {
			t.Fatal(err)
		}
		cols, err := bulk.SelectColumns([]string{"id", "email"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.export(t, ctx, bulk.ExportRequest{Format: bulk.FormatNDJSON, Columns: cols, Selection: sel}); err != nil {
			t.Fatal(err)
		}
		entries := f.exportAudit(t)
		if len(entries) != 1 {
			t.Fatalf("%d export entries, want 1", len(entries))
		}
		e := entries[0]
		want := crm.AuditEntry{ID: e.ID, CustomerID: "", Entity: "exports", EntityID: e.EntityID, Action: "export",
			ActorID: "key-admin", RequestID: "req-1", At: e.At, Changes: []crm.FieldChange{
				added("complete", true),
				added("fields", []string{"id", "email"}),
				added("filter.q", "A*** L***"),
				added("filter.status", "active"),
				added("format", "ndjson"),
				added("rows", 1),
			}}
		if diff := cmp.Diff(want, e); diff != "" {
			t.Errorf("audit entry (-want +got):\n%s", diff)
		}
		if !crm.ValidID(e.ID) || !crm.ValidID(e.EntityID) || e.At.IsZero() {
			t.Errorf("entry ids %q %q, at %v", e.ID, e.EntityID, e.At)
		}
	})
}

// added is the audit change of a value recorded by an action.
func added(field string, v any) crm.FieldChange {
	raw, _ := json.Marshal(v)
	return crm.FieldChange{Field: field, Before: json.RawMessage("null"), After: raw}
}

// failingRepo fails every customer list after the first.
type failingRepo struct {
	store.Store
	lists int
}

var errListFailed = errors.New("connection reset by peer")

func (r *failingRepo) ListCustomers(ctx context.Context, f customer.Filter) ([]customer.Customer, error) {
	r.lists++
	if r.lists > 1 {
		return nil, errListFailed
	}
	return r.Store.ListCustomers(ctx, f)
}

// TestExportCutOff checks that an export that fails midway reports the
// error with the rows it wrote, and is audited as incomplete.
func TestExportCutOff(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newFixture(t, st)
		f.exports = bulk.NewExportService(&failingRepo{Store: st}, nil, bulk.ExportOptions{PageSize: pageSize})
		body, n, err := f.export(t, t.Context(), bulk.ExportRequest{})
		if !errors.Is(err, errListFailed) || n != pageSize {
			t.Fatalf("err = %v, n = %d; want the list's error after %d rows", err, n, pageSize)
		}
		if records, err := csv.NewReader(strings.NewReader(body)).ReadAll(); err != nil || len(records) != pageSize+1 {
			t.Errorf("%d records written (%v), want the header and the first page", len(records), err)
		}
		entries := f.exportAudit(t)
		if len(entries) != 1 {
			t.Fatalf("%d export entries, want 1", len(entries))
		}
		got := map[string]string{}
		for _, c := range entries[0].Changes {
			got[c.Field] = string(c.After)
		}
		if got["rows"] != "3" || got["complete"] != "false" {
			t.Errorf("audited %v, want 3 rows, not complete", got)
		}
	})
}
