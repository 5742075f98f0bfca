package verify_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ispstack/crm/verify"
	"github.com/ispstack/crm/verify/address"
)

// TestOfflineAddress: the default AddressProvider answers what package
// address answers.
func TestOfflineAddress(t *testing.T) {
	for _, a := range []address.Address{
		{Street: "123 north main street apt 4b", City: "St. Louis", State: "MO", PostalCode: "63105", Country: "US"},
		{Street: "1 Main St", City: "Springfield", State: "MO", PostalCode: "63105", Country: "US"},
	} {
		var p verify.AddressProvider = verify.OfflineAddress{}
		got, err := p.Verify(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(address.Verify(a), got); diff != "" {
			t.Errorf("%+v (-address.Verify +OfflineAddress):\n%s", a, diff)
		}
	}
}
