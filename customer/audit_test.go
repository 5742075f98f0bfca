package customer

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/ispstack/crm"
)

// refFlatten is crm.Flatten as it was, by the JSON round trip.
func refFlatten(v any) map[string]any {
	out := map[string]any{}
	raw, err := json.Marshal(v)
	if err != nil {
		return out
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return out
	}
	var walk func(prefix string, t any)
	walk = func(prefix string, t any) {
		if m, ok := t.(map[string]any); ok && len(m) > 0 {
			for k, sub := range m {
				if prefix != "" {
					k = prefix + "." + k
				}
				walk(k, sub)
			}
			return
		}
		if t != nil {
			out[prefix] = t
		}
	}
	walk("", tree)
	return out
}

// refRawJSON is crm.RawJSON as it was.
func refRawJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if v == nil || err != nil {
		return json.RawMessage("null")
	}
	return b
}

// refDiffCustomers is diffCustomers over crm.Flatten and crm.Diff as they
// were.
func refDiffCustomers(before, after *Customer) []crm.FieldChange {
	view := func(c *Customer) map[string]any {
		if c == nil {
			return map[string]any{}
		}
		m := refFlatten(c)
		if c.TaxID != nil {
			m["tax_id"] = c.TaxID.BlindIndex + ":" + c.TaxIDLast4
		}
		delete(m, "tax_id_last4")
		return m
	}
	b, a := view(before), view(after)
	keys := slices.Sorted(maps.Keys(b))
	for k := range a {
		if _, ok := b[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []crm.FieldChange
	for _, k := range keys {
		if k == "version" || k == "updated_at" || k == "created_at" {
			continue
		}
		bv, av := b[k], a[k]
		if bytes.Equal(refRawJSON(bv), refRawJSON(av)) {
			continue
		}
		out = append(out, crm.FieldChange{Field: k,
			Before: refRawJSON(maskCustomerField(k, bv)), After: refRawJSON(maskCustomerField(k, av))})
	}
	return out
}

// customerVariants are customers with every field set, none set, and each
// optional part removed or emptied in turn.
func customerVariants() map[string]*Customer {
	vs := map[string]*Customer{"full": fullCustomer(), "empty": {}}
	for name, change := range map[string]func(c *Customer){
		"no service address":   func(c *Customer) { c.ServiceAddress = nil },
		"no tax id":            func(c *Customer) { c.TaxID, c.TaxIDLast4 = nil, "" },
		"no credit score":      func(c *Customer) { c.CreditScore = nil },
		"no emergency contact": func(c *Customer) { c.EmergencyContact = nil },
		"no suspension":        func(c *Customer) { c.Suspension = nil },
		"no coordinates":       func(c *Customer) { c.BillingAddress.Coordinates = nil },
		"zero coordinates":     func(c *Customer) { c.BillingAddress.Coordinates = &Coordinates{} },
		"empty optionals": func(c *Customer) {
			c.Company, c.Industry, c.Notes, c.ExternalID, c.BillingAddress.Unit = "", "", "", "", ""
			c.Suspension.Until, c.Suspension.Notes = nil, ""
		},
		"empty address": func(c *Customer) { c.BillingAddress, c.ServiceAddress = Address{}, &Address{} },
		"zero times": func(c *Customer) {
			c.CreatedAt, c.UpdatedAt, c.Suspension.Since = time.Time{}, time.Time{}, time.Time{}
		},
		"local time":     func(c *Customer) { c.CreatedAt = c.CreatedAt.In(time.FixedZone("EST", -5*3600)) },
		"zero date":      func(c *Customer) { c.CustomerSince = crm.Date{} },
		"awkward text":   func(c *Customer) { c.Name, c.Notes, c.Email = "Zoë <O'Brien> & \"Co\"\n", "a\xffb", "é@x" },
		"changed fields": func(c *Customer) { c.Email, c.BillingAddress.City, c.Version = "ada@example.org", "Oakland", 4 },
		"negative zero":  func(c *Customer) { c.BillingAddress.Coordinates.Longitude = math.Copysign(0, -1) },
		"other tax id":   func(c *Customer) { c.TaxID = &TaxID{BlindIndex: "other"}; c.TaxIDLast4 = "1111" },
	} {
		c := fullCustomer()
		change(c)
		vs[name] = c
	}
	return vs
}

// TestFlattenCustomerMatchesJSON checks that crm.Flatten of customers and
// services gives what the JSON round trip gave.
func TestFlattenCustomerMatchesJSON(t *testing.T) {
	for name, c := range customerVariants() {
		for _, v := range []any{c, *c} {
			got, want := crm.Flatten(v), refFlatten(v)
			if !sameFlat(got, want) {
				t.Errorf("%s (%T): Flatten = %v\nwant %v", name, v, got, want)
			}
		}
	}
	end := crm.Date{Year: 2027, Month: time.January, Day: 31}
	for name, s := range map[string]*Subscription{
		"empty": {},
		"full": {ID: "sub_1", CustomerID: "cus_1", PlanName: "Fiber 1G", ServiceType: "internet", Technology: "fiber",
			Status: "active", MonthlyPrice: 7999, ContractTerm: "12_months", StartDate: crm.Date{Year: 2025, Month: 2, Day: 1},
			EndDate: &end, BandwidthDownMbps: 1000, BandwidthUpMbps: 500, ServiceAddress: &Address{Street: "1 Main"},
			SuspendedWithCustomer: true, Version: 2, CreatedAt: time.Unix(1.7e9, 5000).UTC()},
	} {
		if got, want := crm.Flatten(s), refFlatten(s); !sameFlat(got, want) {
			t.Errorf("service %s: Flatten = %v\nwant %v", name, got, want)
		}
	}
}

// sameFlat compares flattened maps by their values' JSON, which tells
// numbers, strings, booleans and empty objects apart.
func sameFlat(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !bytes.Equal(refRawJSON(v), refRawJSON(w)) {
			return false
		}
	}
	return true
}

// TestDiffCustomersMatchesJSON checks diffCustomers byte for byte against
// the diff by the JSON round trip, between every pair of variants and from
// and to nothing.
func TestDiffCustomersMatchesJSON(t *testing.T) {
	vs := customerVariants()
	vs["none"] = nil
	for bn, b := range vs {
		for an, a := range vs {
			got, want := diffCustomers(b, a), refDiffCustomers(b, a)
			same := slices.EqualFunc(got, want, func(x, y crm.FieldChange) bool {
				return x.Field == y.Field && bytes.Equal(x.Before, y.Before) && bytes.Equal(x.After, y.After)
			})
			if !same {
				t.Errorf("%s -> %s: diffCustomers = %s\nwant %s", bn, an, got, want)
			}
		}
	}
}
