package address

import "context"

// Geocoder locates an address more precisely than its postal code, e.g. an
// adapter for a commercial or self-hosted geocoding service. Verifier calls
// it with the normalised address of a valid one.
type Geocoder interface {
	// Geocode returns the position of a, with PrecisionStreet or
	// PrecisionRooftop (an empty Precision counts as street). Any error,
	// including "not found", makes the Verifier fall back to the postal
	// code's centroid.
	Geocode(ctx context.Context, a Address) (Coordinates, error)
}
