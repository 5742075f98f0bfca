// Package demo generates realistic demo customers for the bundled server
// (SEED_DEMO=true) and for trying the API by hand: residential and business
// customers in real US cities (ZIP codes from GeoNames), with plausible
// names, reserved example.com-style email domains, phone numbers in the
// fictional 555-01xx range, broadband services with backdated start dates,
// and a share of suspended accounts.
//
// Generation is deterministic for a given random source, so a demo looks the
// same on every start. Ids, account numbers and timestamps are still issued
// by customer.Service and differ between runs.
//
// Postal code data © GeoNames, CC-BY 4.0.
package demo
