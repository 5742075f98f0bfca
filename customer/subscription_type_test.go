package customer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// TestNormalizeSubscriptionType pins the service type rules: internet is the
// default and requires a technology; every other type may name one, which
// must then be valid; an unknown type is refused naming service_type.
func TestNormalizeSubscriptionType(t *testing.T) {
	base := func(typ ServiceType, tech Technology) SubscriptionInput {
		price, start := crm.Money(1000), crm.Date{Year: 2024, Month: 1, Day: 1}
		return SubscriptionInput{PlanName: "Plan", ServiceType: typ, Technology: tech, MonthlyPrice: &price, StartDate: &start}
	}
	tests := []struct {
		name     string
		in       SubscriptionInput
		wantType ServiceType
		fields   []string
	}{
		{"default is internet", base("", TechFiber), ServiceInternet, nil},
		{"internet without technology", base(ServiceInternet, ""), "", []string{"technology"}},
		{"default without technology", base("", ""), "", []string{"technology"}},
		{"internet with unknown technology", base(ServiceInternet, "laser"), "", []string{"technology"}},
		{"unknown type", base("carrier_pigeon", TechFiber), "", []string{"service_type"}},
		{"unknown type without technology", base("carrier_pigeon", ""), "", []string{"service_type"}},
		{"voice with unknown technology", base(ServiceVoice, "laser"), "", []string{"technology"}},
		{"tv with technology", base(ServiceTV, TechCable), ServiceTV, nil},
	}
	for _, typ := range ServiceTypes[1:] {
		tests = append(tests, struct {
			name     string
			in       SubscriptionInput
			wantType ServiceType
			fields   []string
		}{string(typ) + " without technology", base(typ, ""), typ, nil})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := normalizeSubscription(tt.in)
			if diff := cmp.Diff(tt.fields, fieldsOf(err)); diff != "" {
				t.Fatalf("fields (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if got.ServiceType != tt.wantType || got.Technology != tt.in.Technology {
				t.Errorf("type, technology = %q, %q; want %q, %q", got.ServiceType, got.Technology, tt.wantType, tt.in.Technology)
			}
		})
	}
}
