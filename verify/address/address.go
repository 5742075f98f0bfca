package address

// Address is a postal address as entered. Country is an ISO 3166-1 alpha-2
// code (a few common names and alpha-3 codes are accepted too).
type Address struct {
	Street     string `json:"street"`
	Unit       string `json:"unit"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// Result is the verdict on one address.
type Result struct {
	// Valid is false when a required field is missing or a check failed;
	// Messages name the fields.
	Valid bool `json:"valid"`
	// Normalized is the address in standard form: for the US, upper case
	// per USPS Publication 28 with the ZIP's city and state.
	Normalized Address `json:"normalized"`
	// Coordinates are the best position known, nil when none is.
	Coordinates *Coordinates `json:"coordinates"`
	// Confidence is how sure the verdict is that the address exists, 0–1:
	//   - 0 when Valid is false;
	//   - US: 0.9 when ZIP, state and city agree, 0.8 when the city matched
	//     only after correcting one letter; 1.0 when a Geocoder also located
	//     the street;
	//   - CA, GB, DE, FR, AU: 0.5, only the postal code's format was checked
	//     (0.7 when a Geocoder located it);
	//   - other countries: 0.2, only required fields were checked (0.4 with
	//     a Geocoder's position).
	Confidence float64 `json:"confidence"`
	// Messages explain every failed check and every correction; never nil.
	Messages []Message `json:"messages"`
}

// Coordinates is a WGS84 position and how precise it is.
type Coordinates struct {
	Latitude  float64   `json:"latitude"`
	Longitude float64   `json:"longitude"`
	Precision Precision `json:"precision"`
}

// Precision says what a position locates.
type Precision string

// The precisions, coarsest first.
const (
	// PrecisionPostalCode is the centroid of the postal code.
	PrecisionPostalCode Precision = "postal_code"
	// PrecisionStreet is a point on the street, interpolated by number.
	PrecisionStreet Precision = "street"
	// PrecisionRooftop is the building itself.
	PrecisionRooftop Precision = "rooftop"
)

// Message is one finding; Field names the address field it concerns
// (street, unit, city, state, postal_code, country, coordinates).
type Message struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Message codes.
const (
	// CodeRequired: the field is empty.
	CodeRequired = "required"
	// CodeInvalidFormat: the postal code does not have the country's format.
	CodeInvalidFormat = "invalid_format"
	// CodeUnknownPostalCode: no such US ZIP code.
	CodeUnknownPostalCode = "unknown_postal_code"
	// CodeStateMismatch: the state is not the ZIP's.
	CodeStateMismatch = "state_mismatch"
	// CodeCityMismatch: the city is not one the ZIP serves.
	CodeCityMismatch = "city_mismatch"
	// CodeCityCorrected: the city matched the ZIP's after a one-letter
	// correction; Normalized carries the ZIP's spelling.
	CodeCityCorrected = "city_corrected"
	// CodeFormatOnly: only the postal code's format was checked.
	CodeFormatOnly = "format_only"
	// CodeCountryUnchecked: the country has no checks beyond required fields.
	CodeCountryUnchecked = "country_unchecked"
	// CodeGeocoderFailed: the Geocoder gave no usable position.
	CodeGeocoderFailed = "geocoder_failed"
)
