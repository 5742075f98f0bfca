package address

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// Confidence levels; see Result.Confidence.
const (
	confidenceUS            = 0.9
	confidenceCorrected     = 0.8
	confidenceFormatOnly    = 0.5
	confidenceUnchecked     = 0.2
	confidenceGeocodedUS    = 0.1 // added when a Geocoder located a US address
	confidenceGeocodedOther = 0.2 // added when a Geocoder located another one
)

// Verifier verifies addresses; the zero value works offline.
type Verifier struct {
	// Geocoder, if set, is asked for street-level coordinates of every
	// valid address; its answer wins over the postal code's centroid.
	Geocoder Geocoder
}

// Verify checks in offline, without a Geocoder.
func Verify(in Address) Result {
	return Verifier{}.Verify(context.Background(), in)
}

// Verify checks in: US addresses against the embedded ZIP table, CA, GB,
// DE, FR and AU postal codes by format, other countries only for required
// fields; see Result for what comes back. ctx bounds the Geocoder's call.
func (v Verifier) Verify(ctx context.Context, in Address) Result {
	r := Result{Messages: []Message{}}
	r.Normalized = Address{
		Street:     collapse(in.Street),
		Unit:       collapse(in.Unit),
		City:       collapse(in.City),
		State:      strings.ToUpper(collapse(in.State)),
		PostalCode: strings.ToUpper(collapse(in.PostalCode)),
		Country:    countryCode(in.Country),
	}
	r.required("street", r.Normalized.Street)
	r.required("city", r.Normalized.City)
	r.required("postal_code", r.Normalized.PostalCode)
	r.required("country", r.Normalized.Country)
	switch format, checked := postalFormats[r.Normalized.Country]; {
	case r.Normalized.Country == "US":
		r.required("state", r.Normalized.State)
		r.verifyUS()
	case checked:
		r.verifyFormat(format)
	case r.Normalized.Country != "":
		r.add(CodeCountryUnchecked, "country", fmt.Sprintf("addresses in %s are checked for required fields only", r.Normalized.Country))
		r.Confidence = confidenceUnchecked
	}
	r.Valid = !r.failed()
	if !r.Valid {
		r.Confidence = 0
		return r
	}
	if v.Geocoder != nil {
		r.geocode(ctx, v.Geocoder)
	}
	return r
}

// verifyUS normalises the street line and checks ZIP, state and city.
func (r *Result) verifyUS() {
	n := &r.Normalized
	street, unit := normalizeStreet(n.Street)
	n.Street = street
	switch given := normalizeUnit(n.Unit); {
	case unit == "":
		n.Unit = given
	case given != "" && given != unit:
		n.Unit = unit + " " + given
	default:
		n.Unit = unit
	}
	n.City = strings.ToUpper(n.City)
	n.State = stateCode(strings.ReplaceAll(n.State, ".", ""))
	if n.PostalCode == "" {
		return
	}
	zip, plus4, ok := parseZIP(n.PostalCode)
	if !ok {
		r.add(CodeInvalidFormat, "postal_code", "must be a US ZIP code (12345 or 12345-6789)")
		return
	}
	n.PostalCode = zip + plus4
	places := zips().lookup(zip)
	if len(places) == 0 {
		r.add(CodeUnknownPostalCode, "postal_code", fmt.Sprintf("ZIP code %s does not exist", zip))
		return
	}
	inState := places
	if n.State != "" {
		inState = placesIn(places, n.State)
		if len(inState) == 0 {
			r.add(CodeStateMismatch, "state", fmt.Sprintf("ZIP code %s is in %s, not %s", zip, statesOf(places), n.State))
			inState = places
		}
	}
	first := inState[0]
	r.Coordinates = &Coordinates{Latitude: first.lat, Longitude: first.lon, Precision: PrecisionPostalCode}
	if n.City == "" {
		return
	}
	p, corrected, ok := matchCity(inState, cityKey(n.City))
	if !ok {
		r.add(CodeCityMismatch, "city", fmt.Sprintf("ZIP code %s serves %s, not %s", zip, citiesOf(places), n.City))
		return
	}
	if corrected {
		r.add(CodeCityCorrected, "city", fmt.Sprintf("%s corrected to %s, the city of ZIP code %s", n.City, strings.ToUpper(p.city), zip))
		r.Confidence = confidenceCorrected
	} else {
		r.Confidence = confidenceUS
	}
	n.City, n.State = strings.ToUpper(p.city), p.state
	r.Coordinates = &Coordinates{Latitude: p.lat, Longitude: p.lon, Precision: PrecisionPostalCode}
}

// verifyFormat checks the postal code of a country with a known format.
func (r *Result) verifyFormat(f postalFormat) {
	n := &r.Normalized
	if n.PostalCode == "" {
		return
	}
	code, ok := f.check(n.PostalCode)
	if !ok {
		r.add(CodeInvalidFormat, "postal_code", fmt.Sprintf("is not a %s postal code (like %s)", n.Country, f.example))
		return
	}
	n.PostalCode = code
	r.add(CodeFormatOnly, "postal_code", fmt.Sprintf("only the format of the postal code was checked; addresses in %s are not verified against postal data", n.Country))
	r.Confidence = confidenceFormatOnly
}

// geocode asks g for finer coordinates, keeping the ZIP's on failure.
func (r *Result) geocode(ctx context.Context, g Geocoder) {
	c, err := g.Geocode(ctx, r.Normalized)
	if err == nil && c.Precision == "" {
		c.Precision = PrecisionStreet
	}
	switch {
	case err != nil:
	case c.Precision != PrecisionStreet && c.Precision != PrecisionRooftop:
		err = fmt.Errorf("precision %q is not street or rooftop", c.Precision)
	case !(c.Latitude >= -90 && c.Latitude <= 90 && c.Longitude >= -180 && c.Longitude <= 180):
		err = fmt.Errorf("position %v, %v is out of range", c.Latitude, c.Longitude)
	}
	if err != nil {
		fallback := "no coordinates are known"
		if r.Coordinates != nil {
			fallback = "the coordinates are the postal code's centroid"
		}
		r.add(CodeGeocoderFailed, "coordinates", fmt.Sprintf("the geocoder gave no position (%v); %s", err, fallback))
		return
	}
	r.Coordinates = &c
	if r.Normalized.Country == "US" {
		r.Confidence = math.Min(1, r.Confidence+confidenceGeocodedUS)
	} else {
		r.Confidence += confidenceGeocodedOther
	}
}

// parseZIP accepts 12345, 12345-6789, 123456789 and 12345 6789 and returns
// the ZIP and the "-6789" of a ZIP+4.
func parseZIP(s string) (zip, plus4 string, ok bool) {
	digits := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
	if strings.Trim(digits, "0123456789") != "" || len(s)-len(digits) > 1 {
		return "", "", false
	}
	switch len(digits) {
	case 5:
		return digits, "", len(s) == 5
	case 9:
		return digits[:5], "-" + digits[5:], len(s) == 9 || s[5] == '-' || s[5] == ' '
	}
	return "", "", false
}

// placesIn returns the places in state.
func placesIn(places []place, state string) []place {
	for i, p := range places {
		if p.state == state {
			// Rows of one ZIP are sorted by state, so a state's run is contiguous.
			j := i
			for j < len(places) && places[j].state == state {
				j++
			}
			return places[i:j]
		}
	}
	return nil
}

// statesOf lists the states of places: "HI" or "AA, HI".
func statesOf(places []place) string {
	var s []string
	for _, p := range places {
		if len(s) == 0 || s[len(s)-1] != p.state {
			s = append(s, p.state)
		}
	}
	return strings.Join(s, ", ")
}

// citiesOf lists the cities of places with their states: "SAN FRANCISCO, CA".
func citiesOf(places []place) string {
	s := make([]string, len(places))
	for i, p := range places {
		s[i] = strings.ToUpper(p.city) + ", " + p.state
	}
	return strings.Join(s, "; ")
}

// add records a message.
func (r *Result) add(code, field, msg string) {
	r.Messages = append(r.Messages, Message{Code: code, Field: field, Message: msg})
}

// required records a missing field.
func (r *Result) required(field, value string) {
	if value == "" {
		r.add(CodeRequired, field, "is required")
	}
}

// failed reports whether a message says a check failed; the others
// (format_only, country_unchecked, city_corrected, geocoder_failed) only
// inform.
func (r *Result) failed() bool {
	for _, m := range r.Messages {
		switch m.Code {
		case CodeRequired, CodeInvalidFormat, CodeUnknownPostalCode, CodeStateMismatch, CodeCityMismatch:
			return true
		}
	}
	return false
}

// collapse trims s and reduces its runs of spaces to one.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
