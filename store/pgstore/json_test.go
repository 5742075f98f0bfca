package pgstore

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/customer"
)

// TestJSONToMatchesEncodingJSON checks that jsonTo, which does not use
// encoding/json, reads the JSON columns of a customer as encoding/json
// does: as Postgres writes jsonb back, with escapes, numbers in every
// form, nulls, keys in another case or unknown, and refuses what it
// refuses.
func TestJSONToMatchesEncodingJSON(t *testing.T) {
	addresses := []string{
		`{"city": "Springfield", "state": "IL", "street": "1 Main St", "country": "US", "postal_code": "62701"}`,
		`{"city": "Zürich \"Altstadt\"", "unit": "\u00e9\t\\n", "state": "\u2028", "street": "😀 \ud83d\ude00", "country": null, "postal_code": "", ` +
			`"coordinates": {"latitude": 40.7484, "longitude": -73.9857}}`,
		`{"coordinates": {"latitude": 1e-7, "longitude": -0}, "City": "case", "extra": [1, {"a": 2}]}`,
		`{"coordinates": {"latitude": 123456789012345678901234567890, "longitude": 5e-324}}`,
		`{"coordinates": null}`,
		`{}`,
		`{"city": 5}`,
		`{"coordinates": {"latitude": "north"}}`,
		`[1]`,
		`{"city": "unterminated}`,
	}
	for _, raw := range addresses {
		compareJSONTo[customer.Address](t, raw)
	}
	for _, raw := range []string{
		`{"name": "Roy Garza", "phone": "+18129141810", "relationship": "spouse"}`,
		`{"name": "", "email": "a@b.c", "PHONE": "x", "relationship": null}`,
		`{"name": true}`,
	} {
		compareJSONTo[customer.EmergencyContact](t, raw)
	}
}

func compareJSONTo[T any](t *testing.T, raw string) {
	t.Helper()
	want := new(T)
	wantErr := json.Unmarshal([]byte(raw), want)
	got, err := jsonTo[T]([]byte(raw))
	switch {
	case (err != nil) != (wantErr != nil):
		t.Errorf("jsonTo(%s): error %v, encoding/json's %v", raw, err, wantErr)
	case err == nil:
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("jsonTo(%s) (-encoding/json +got):\n%s", raw, diff)
		}
	}
}
