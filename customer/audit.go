package customer

import (
	"strings"

	"github.com/ispstack/crm"
)

// diffCustomers is Diff for customers, with the tax id represented by its
// blind index (to see a change) and shown only as its last four digits.
func diffCustomers(before, after *Customer) []crm.FieldChange {
	view := func(c *Customer) any {
		if c == nil {
			return nil
		}
		m := crm.Flatten(c)
		if c.TaxID != nil {
			m["tax_id"] = c.TaxID.BlindIndex + ":" + c.TaxIDLast4
		}
		delete(m, "tax_id_last4")
		return m
	}
	return crm.Diff(view(before), view(after), maskCustomerField)
}

// maskCustomerField masks the personal data among a customer's fields.
func maskCustomerField(field string, v any) any {
	s, ok := v.(string)
	if !ok || s == "" {
		if strings.Contains(field, "coordinates") && v != nil {
			return "***"
		}
		return v
	}
	last := field[strings.LastIndexByte(field, '.')+1:]
	switch {
	case field == "tax_id":
		_, last4, _ := strings.Cut(s, ":")
		return "***-**-" + last4
	case last == "email":
		return crm.MaskEmail(s)
	case last == "phone":
		return crm.MaskPhone(s)
	case last == "name" || last == "street" || last == "unit":
		return crm.MaskWords(s)
	case last == "notes":
		return crm.Redacted
	}
	return v
}
