package document_test

import (
	"testing"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
)

// TestListRefusesImplausibleDates: a library caller gets the same 1900–2100
// bound on expiring_before as the HTTP query parameter.
func TestListRefusesImplausibleDates(t *testing.T) {
	svc, _, id := newService(t, document.Options{})
	for _, d := range []crm.Date{{Year: 0, Month: 1, Day: 1}, {Year: 9999, Month: 12, Day: 31}} {
		_, err := svc.List(t.Context(), id, document.ListParams{ExpiringBefore: &d})
		if crm.ErrorCode(err) != crm.CodeInvalid || len(crm.ErrorFields(err)) != 1 || crm.ErrorFields(err)[0].Field != "expiring_before" {
			t.Errorf("List(expiring_before=%v) = %v, want invalid naming expiring_before", d, err)
		}
	}
	ok := crm.Date{Year: 2030, Month: 1, Day: 1}
	if _, err := svc.List(t.Context(), id, document.ListParams{ExpiringBefore: &ok}); err != nil {
		t.Errorf("List(expiring_before=%v) = %v", ok, err)
	}
}
