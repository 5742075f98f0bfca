// Package address verifies postal addresses offline.
//
// US addresses are checked against GeoNames' US postal codes, embedded in
// compact form (data/us-zip.tsv.gz; Postal code data © GeoNames, CC-BY 4.0):
// the ZIP must exist and agree with the state and the city, and the street
// line is normalised the USPS way (Publication 28: suffixes and directionals
// abbreviated, the secondary unit moved to Unit, upper case, punctuation
// removed). Coordinates come from the ZIP's centroid unless a Geocoder gives
// finer ones. Other countries get postal-code format checks (CA, GB, DE, FR,
// AU) or only the required-field check, and a lower confidence saying so.
//
// The package is pure: no storage, no network except what an embedder's
// Geocoder does. The table is loaded once, on first use (or Preload).
package address
