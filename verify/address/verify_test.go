package address_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm/verify/address"
)

// msgs is shorthand for the expected messages of a result.
func msgs(m ...address.Message) []address.Message {
	if m == nil {
		return []address.Message{}
	}
	return m
}

func TestVerifyUS(t *testing.T) {
	sf := &address.Coordinates{Latitude: 37.7864, Longitude: -122.3892, Precision: address.PrecisionPostalCode}
	tests := []struct {
		name string
		in   address.Address
		want address.Result
	}{{
		name: "real ZIP and city",
		in:   address.Address{Street: "415 Mission Street", Unit: "Floor 3", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "415 MISSION ST", Unit: "FL 3", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105", Country: "US"},
			Coordinates: sf, Confidence: 0.9, Messages: msgs(),
		},
	}, {
		name: "ZIP+4, lower case, extra spaces, country name",
		in:   address.Address{Street: " 415  mission st. ", City: "  san   francisco ", State: "ca", PostalCode: "94105-1804", Country: "usa"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "415 MISSION ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105-1804", Country: "US"},
			Coordinates: sf, Confidence: 0.9, Messages: msgs(),
		},
	}, {
		name: "ZIP+4 without its hyphen",
		in:   address.Address{Street: "415 Mission St", City: "San Francisco", State: "CA", PostalCode: "941051804", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "415 MISSION ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105-1804", Country: "US"},
			Coordinates: sf, Confidence: 0.9, Messages: msgs(),
		},
	}, {
		name: "state by name",
		in:   address.Address{Street: "415 Mission St", City: "San Francisco", State: "California", PostalCode: "94105", Country: "United States"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "415 MISSION ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105", Country: "US"},
			Coordinates: sf, Confidence: 0.9, Messages: msgs(),
		},
	}, {
		name: "ZIP that does not exist",
		in:   address.Address{Street: "1 Main St", City: "Nowhere", State: "CA", PostalCode: "99999", Country: "US"},
		want: address.Result{
			Normalized: address.Address{Street: "1 MAIN ST", City: "NOWHERE", State: "CA", PostalCode: "99999", Country: "US"},
			Messages:   msgs(address.Message{Code: address.CodeUnknownPostalCode, Field: "postal_code", Message: "ZIP code 99999 does not exist"}),
		},
	}, {
		name: "malformed ZIP",
		in:   address.Address{Street: "1 Main St", City: "San Francisco", State: "CA", PostalCode: "9410", Country: "US"},
		want: address.Result{
			Normalized: address.Address{Street: "1 MAIN ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "9410", Country: "US"},
			Messages:   msgs(address.Message{Code: address.CodeInvalidFormat, Field: "postal_code", Message: "must be a US ZIP code (12345 or 12345-6789)"}),
		},
	}, {
		name: "city the ZIP does not serve",
		in:   address.Address{Street: "1 Main St", City: "Oakland", State: "CA", PostalCode: "94105", Country: "US"},
		want: address.Result{
			Normalized:  address.Address{Street: "1 MAIN ST", City: "OAKLAND", State: "CA", PostalCode: "94105", Country: "US"},
			Coordinates: sf,
			Messages:    msgs(address.Message{Code: address.CodeCityMismatch, Field: "city", Message: "ZIP code 94105 serves SAN FRANCISCO, CA, not OAKLAND"}),
		},
	}, {
		name: "ZIP that serves two places",
		in:   address.Address{Street: "1 Main St", City: "Honolulu", State: "HI", PostalCode: "96860", Country: "US"},
		want: address.Result{
			Normalized:  address.Address{Street: "1 MAIN ST", City: "HONOLULU", State: "HI", PostalCode: "96860", Country: "US"},
			Coordinates: &address.Coordinates{Latitude: 21.316, Longitude: -157.8677, Precision: address.PrecisionPostalCode},
			Messages:    msgs(address.Message{Code: address.CodeCityMismatch, Field: "city", Message: "ZIP code 96860 serves FPO, AA; JBPHH, HI, not HONOLULU"}),
		},
	}, {
		name: "state that is not the ZIP's",
		in:   address.Address{Street: "1 Main St", City: "San Francisco", State: "NY", PostalCode: "94105", Country: "US"},
		want: address.Result{
			Normalized:  address.Address{Street: "1 MAIN ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105", Country: "US"},
			Coordinates: sf,
			Messages:    msgs(address.Message{Code: address.CodeStateMismatch, Field: "state", Message: "ZIP code 94105 is in CA, not NY"}),
		},
	}, {
		name: "two words for one: White Water is Whitewater",
		in:   address.Address{Street: "800 W Main St", City: "White Water", State: "WI", PostalCode: "53190", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "800 W MAIN ST", City: "WHITEWATER", State: "WI", PostalCode: "53190", Country: "US"},
			Coordinates: &address.Coordinates{Latitude: 42.8272, Longitude: -88.7429, Precision: address.PrecisionPostalCode},
			Confidence:  0.9, Messages: msgs(),
		},
	}, {
		name: "St. is Saint",
		in:   address.Address{Street: "7700 Forsyth Blvd", City: "St. Louis", State: "MO", PostalCode: "63105", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "7700 FORSYTH BLVD", City: "SAINT LOUIS", State: "MO", PostalCode: "63105", Country: "US"},
			Coordinates: &address.Coordinates{Latitude: 38.6459, Longitude: -90.3264, Precision: address.PrecisionPostalCode},
			Confidence:  0.9, Messages: msgs(),
		},
	}, {
		name: "Fort is Ft, as GeoNames spells it",
		in:   address.Address{Street: "2300 Dixie Highway", City: "Fort Mitchell", State: "KY", PostalCode: "41017", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "2300 DIXIE HWY", City: "FT MITCHELL", State: "KY", PostalCode: "41017", Country: "US"},
			Coordinates: &address.Coordinates{Latitude: 39.03, Longitude: -84.559, Precision: address.PrecisionPostalCode},
			Confidence:  0.9, Messages: msgs(),
		},
	}, {
		name: "Mt is Mount",
		in:   address.Address{Street: "1 S 1st Ave", City: "Mt. Vernon", State: "NY", PostalCode: "10550", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "1 S 1ST AVE", City: "MOUNT VERNON", State: "NY", PostalCode: "10550", Country: "US"},
			Coordinates: &address.Coordinates{Latitude: 40.9079, Longitude: -73.838, Precision: address.PrecisionPostalCode},
			Confidence:  0.9, Messages: msgs(),
		},
	}, {
		name: "one letter off is corrected",
		in:   address.Address{Street: "415 Mission St", City: "San Fransisco", State: "CA", PostalCode: "94105", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "415 MISSION ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105", Country: "US"},
			Coordinates: sf, Confidence: 0.8,
			Messages: msgs(address.Message{Code: address.CodeCityCorrected, Field: "city", Message: "SAN FRANSISCO corrected to SAN FRANCISCO, the city of ZIP code 94105"}),
		},
	}, {
		name: "military address",
		in:   address.Address{Street: "Unit 2050 Box 4190", City: "APO", State: "AE", PostalCode: "09007", Country: "US"},
		want: address.Result{
			Valid:       true,
			Normalized:  address.Address{Street: "UNIT 2050 BOX 4190", City: "APO", State: "AE", PostalCode: "09007", Country: "US"},
			Coordinates: &address.Coordinates{Latitude: 49.4077, Longitude: 8.6908, Precision: address.PrecisionPostalCode},
			Confidence:  0.9, Messages: msgs(),
		},
	}, {
		name: "missing fields",
		in:   address.Address{Country: "US"},
		want: address.Result{
			Normalized: address.Address{Country: "US"},
			Messages: msgs(
				address.Message{Code: address.CodeRequired, Field: "street", Message: "is required"},
				address.Message{Code: address.CodeRequired, Field: "city", Message: "is required"},
				address.Message{Code: address.CodeRequired, Field: "postal_code", Message: "is required"},
				address.Message{Code: address.CodeRequired, Field: "state", Message: "is required"},
			),
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, address.Verify(tt.in)); diff != "" {
				t.Errorf("Verify(%+v) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestVerifyOtherCountries(t *testing.T) {
	formatOnly := func(country string) []address.Message {
		return msgs(address.Message{Code: address.CodeFormatOnly, Field: "postal_code",
			Message: "only the format of the postal code was checked; addresses in " + country + " are not verified against postal data"})
	}
	invalid := func(country, example string) []address.Message {
		return msgs(address.Message{Code: address.CodeInvalidFormat, Field: "postal_code",
			Message: "is not a " + country + " postal code (like " + example + ")"})
	}
	tests := []struct {
		country, code string
		wantValid     bool
		wantCode      string
		wantMessages  []address.Message
	}{
		{"CA", "k1a0b1", true, "K1A 0B1", formatOnly("CA")},
		{"Canada", "M5V-3L9", true, "M5V 3L9", formatOnly("CA")},
		{"CA", "D1A 0B1", false, "D1A 0B1", invalid("CA", "K1A 0B1")},
		{"CA", "12345", false, "12345", invalid("CA", "K1A 0B1")},
		{"GB", "sw1a1aa", true, "SW1A 1AA", formatOnly("GB")},
		{"UK", "M1 1AE", true, "M1 1AE", formatOnly("GB")},
		{"GB", "EC1A  1BB", true, "EC1A 1BB", formatOnly("GB")},
		{"GB", "B33 8TH", true, "B33 8TH", formatOnly("GB")},
		{"GB", "SW1A 1A", false, "SW1A 1A", invalid("GB", "SW1A 1AA")},
		{"GB", "QQ1 1AA", false, "QQ1 1AA", invalid("GB", "SW1A 1AA")},
		{"DE", "10115", true, "10115", formatOnly("DE")},
		{"DE", "01067", true, "01067", formatOnly("DE")},
		{"DE", "00123", false, "00123", invalid("DE", "10115")},
		{"DE", "1011", false, "1011", invalid("DE", "10115")},
		{"FR", "75001", true, "75001", formatOnly("FR")},
		{"FR", "20000", true, "20000", formatOnly("FR")},
		{"FR", "99000", false, "99000", invalid("FR", "75001")},
		{"FR", "7500A", false, "7500A", invalid("FR", "75001")},
		{"AU", "2000", true, "2000", formatOnly("AU")},
		{"AU", "0800", true, "0800", formatOnly("AU")},
		{"AU", "0100", false, "0100", invalid("AU", "2000")},
		{"AU", "20000", false, "20000", invalid("AU", "2000")},
	}
	for _, tt := range tests {
		t.Run(tt.country+" "+tt.code, func(t *testing.T) {
			got := address.Verify(address.Address{Street: "1 High Street", City: "Somewhere", PostalCode: tt.code, Country: tt.country})
			conf := 0.0
			if tt.wantValid {
				conf = 0.5
			}
			if got.Valid != tt.wantValid || got.Normalized.PostalCode != tt.wantCode || got.Confidence != conf || got.Coordinates != nil {
				t.Errorf("valid %v, postal code %q, confidence %v, coordinates %v; want %v, %q, %v, nil",
					got.Valid, got.Normalized.PostalCode, got.Confidence, got.Coordinates, tt.wantValid, tt.wantCode, conf)
			}
			if diff := cmp.Diff(tt.wantMessages, got.Messages); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
			if got.Normalized.Street != "1 High Street" {
				t.Errorf("street %q: only US street lines are rewritten", got.Normalized.Street)
			}
		})
	}
}

func TestVerifyUnknownCountry(t *testing.T) {
	got := address.Verify(address.Address{Street: "Prinsengracht 263", City: "Amsterdam", PostalCode: "1016 GV", Country: "nl"})
	want := address.Result{
		Valid:      true,
		Normalized: address.Address{Street: "Prinsengracht 263", City: "Amsterdam", PostalCode: "1016 GV", Country: "NL"},
		Confidence: 0.2,
		Messages:   msgs(address.Message{Code: address.CodeCountryUnchecked, Field: "country", Message: "addresses in NL are checked for required fields only"}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = address.Verify(address.Address{Street: "Prinsengracht 263", Country: "NL"})
	if got.Valid || got.Confidence != 0 || len(got.Messages) != 3 {
		t.Errorf("missing city and postal code: got %+v, want invalid with two required messages and country_unchecked", got)
	}
}

// geocoder answers with a fixed position or error and remembers what it
// was asked.
type geocoder struct {
	c     address.Coordinates
	err   error
	asked []address.Address
}

func (g *geocoder) Geocode(_ context.Context, a address.Address) (address.Coordinates, error) {
	g.asked = append(g.asked, a)
	return g.c, g.err
}

func TestVerifyGeocoder(t *testing.T) {
	sfIn := address.Address{Street: "415 Mission Street", City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"}
	sfOut := address.Address{Street: "415 MISSION ST", City: "SAN FRANCISCO", State: "CA", PostalCode: "94105", Country: "US"}
	zipCentroid := &address.Coordinates{Latitude: 37.7864, Longitude: -122.3892, Precision: address.PrecisionPostalCode}
	rooftop := address.Coordinates{Latitude: 37.78986, Longitude: -122.39648, Precision: address.PrecisionRooftop}
	ctx := context.Background()

	t.Run("its coordinates win", func(t *testing.T) {
		g := &geocoder{c: rooftop}
		got := address.Verifier{Geocoder: g}.Verify(ctx, sfIn)
		want := address.Result{Valid: true, Normalized: sfOut, Coordinates: &rooftop, Confidence: 1, Messages: msgs()}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]address.Address{sfOut}, g.asked); diff != "" {
			t.Errorf("asked (-want +got):\n%s", diff)
		}
	})
	t.Run("empty precision counts as street", func(t *testing.T) {
		g := &geocoder{c: address.Coordinates{Latitude: 37.79, Longitude: -122.39}}
		got := address.Verifier{Geocoder: g}.Verify(ctx, sfIn)
		if got.Coordinates.Precision != address.PrecisionStreet {
			t.Errorf("precision %q, want street", got.Coordinates.Precision)
		}
	})
	t.Run("a failing geocoder falls back to the ZIP", func(t *testing.T) {
		g := &geocoder{err: errors.New("service unavailable")}
		got := address.Verifier{Geocoder: g}.Verify(ctx, sfIn)
		want := address.Result{Valid: true, Normalized: sfOut, Coordinates: zipCentroid, Confidence: 0.9, Messages: msgs(address.Message{
			Code: address.CodeGeocoderFailed, Field: "coordinates",
			Message: "the geocoder gave no position (service unavailable); the coordinates are the postal code's centroid",
		})}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("a position out of range is a failure", func(t *testing.T) {
		g := &geocoder{c: address.Coordinates{Latitude: 91, Longitude: 0, Precision: address.PrecisionRooftop}}
		got := address.Verifier{Geocoder: g}.Verify(ctx, sfIn)
		if diff := cmp.Diff(zipCentroid, got.Coordinates); diff != "" || len(got.Messages) != 1 || got.Messages[0].Code != address.CodeGeocoderFailed {
			t.Errorf("coordinates (-want +got):\n%s\nmessages %v", diff, got.Messages)
		}
	})
	t.Run("invalid addresses are not geocoded", func(t *testing.T) {
		g := &geocoder{c: rooftop}
		bad := sfIn
		bad.PostalCode = "99999"
		if got := (address.Verifier{Geocoder: g}).Verify(ctx, bad); got.Valid || got.Coordinates != nil || len(g.asked) != 0 {
			t.Errorf("got %+v, asked %v; want invalid, no coordinates, geocoder not asked", got, g.asked)
		}
	})
	t.Run("a non-US address gains street coordinates", func(t *testing.T) {
		pos := address.Coordinates{Latitude: 45.4215, Longitude: -75.6972, Precision: address.PrecisionStreet}
		g := &geocoder{c: pos}
		got := address.Verifier{Geocoder: g}.Verify(ctx, address.Address{Street: "111 Wellington St", City: "Ottawa", State: "ON", PostalCode: "K1A0A9", Country: "CA"})
		if !got.Valid || got.Confidence != 0.7 || cmp.Diff(&pos, got.Coordinates) != "" {
			t.Errorf("got %+v, want valid, confidence 0.7, the geocoder's position", got)
		}
	})
}
