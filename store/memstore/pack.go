package memstore

import (
	"slices"
	"strings"

	"github.com/ispstack/crm/customer"
)

// A stored customer is read far more often than written, and every garbage
// collection marks every object the store holds. Left as decoded, a
// customer is a dozen heap objects (the struct, each string, its enums), so
// a store of 100k customers made the collector a fifth of the API's CPU.
// storedCustomer keeps each customer in a few objects instead: its text
// packed into one allocation and its enums pointing at the package's
// constants.

// storedCustomer is the copy of c that the store keeps: cloneCustomer, with
// its strings packed together and its enums interned.
func storedCustomer(c *customer.Customer) *customer.Customer {
	v := cloneCustomer(c)
	v.Type = intern(v.Type, customer.Types)
	v.Status = intern(v.Status, customer.Statuses)
	v.PreferredContact = intern(v.PreferredContact, customer.ContactMethods)
	// Not the id: it is also the key of the customers map, which keeps the
	// key of the first version for good and would pin its whole block.
	fields := []*string{&v.AccountNumber, &v.ExternalID, &v.Name, &v.Email, &v.Phone, &v.TaxIDLast4,
		&v.Company, &v.Industry, &v.Notes}
	fields = appendAddress(fields, &v.BillingAddress)
	if v.ServiceAddress != nil {
		fields = appendAddress(fields, v.ServiceAddress)
	}
	if e := v.EmergencyContact; e != nil {
		fields = append(fields, &e.Name, &e.Relationship, &e.Phone, &e.Email)
	}
	if v.TaxID != nil {
		fields = append(fields, &v.TaxID.BlindIndex)
	}
	if s := v.Suspension; s != nil {
		s.Reason = intern(s.Reason, customer.SuspensionReasons)
		fields = append(fields, &s.Notes)
	}
	pack(fields)
	return v
}

func appendAddress(fields []*string, a *customer.Address) []*string {
	return append(fields, &a.Street, &a.Unit, &a.City, &a.State, &a.PostalCode, &a.Country)
}

// pack copies the strings fields point at into one allocation and points
// them at their copies. Strings are immutable, so sharing the backing
// array is safe; it lives as long as any of them.
func pack(fields []*string) {
	n := 0
	for _, f := range fields {
		n += len(*f)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fields {
		b.WriteString(*f)
	}
	all, off := b.String(), 0
	for _, f := range fields {
		l := len(*f)
		*f = all[off : off+l]
		off += l
	}
}

// intern returns the element of known equal to v (sharing its memory), or
// v when none is.
func intern[T ~string](v T, known []T) T {
	if i := slices.Index(known, v); i >= 0 {
		return known[i]
	}
	return v
}
