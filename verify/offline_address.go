package verify

import (
	"context"

	"github.com/ispstack/crm/verify/address"
)

// OfflineAddress is the default AddressProvider: package address's offline
// checker, with an optional street-level Geocoder. The zero value works.
type OfflineAddress struct {
	// Geocoder, if set, locates valid addresses more precisely than their
	// postal code; see address.Verifier.
	Geocoder address.Geocoder
}

// Verify checks a offline; it never fails (a failing Geocoder only leaves
// the postal code's centroid and a message).
func (o OfflineAddress) Verify(ctx context.Context, a address.Address) (address.Result, error) {
	return address.Verifier{Geocoder: o.Geocoder}.Verify(ctx, a), nil
}
