package address_test

import (
	"testing"

	"github.com/ispstack/crm/verify/address"
)

func TestStreetNormalization(t *testing.T) {
	tests := []struct {
		street, unit         string
		wantStreet, wantUnit string
	}{
		{"123 north main street apt 4b", "", "123 N MAIN ST", "APT 4B"},
		{"1600 Pennsylvania Avenue NW", "", "1600 PENNSYLVANIA AVE NW", ""},
		{"500 W. Boulevard, Suite 200", "", "500 W BLVD", "STE 200"},
		{"742 Evergreen Terrace", "", "742 EVERGREEN TER", ""},
		{"10 Southwest Oak Parkway, Apartment #12", "", "10 SW OAK PKWY", "APT 12"},
		{"1 Infinite Loop", "Building 3", "1 INFINITE LOOP", "BLDG 3"},
		{"55 Market St #400", "", "55 MARKET ST", "# 400"},
		{"55 Market St", "#400", "55 MARKET ST", "# 400"},
		{"55 Market St", "400", "55 MARKET ST", "# 400"},
		{"55 Market St Unit 7", "", "55 MARKET ST", "UNIT 7"},
		{"55 Market St Bldg 2", "Apt 4", "55 MARKET ST", "BLDG 2 APT 4"},
		{"12 Elm Street Rear", "", "12 ELM ST", "REAR"},
		{"123 North Street", "", "123 NORTH ST", ""},
		{"77 Main Street South", "", "77 MAIN ST S", ""},
		{"9 Avenue C", "", "9 AVENUE C", ""},
		{"200 Park", "", "200 PARK", ""},
		{"31 Old Pier Road", "", "31 OLD PIER RD", ""},
		{"31 Harbor Way Pier 39", "", "31 HARBOR WAY", "PIER 39"},
		{"4 Mountain View Drive", "", "4 MOUNTAIN VIEW DR", ""},
		{"123 1/2 Main St", "", "123 1/2 MAIN ST", ""},
		{"86-12 Queens Blvd", "", "86-12 QUEENS BLVD", ""},
		{"16 O'Connell Crescent", "", "16 OCONNELL CRES", ""},
		{"2300 East West Highway", "", "2300 E WEST HWY", ""},
		{"P.O. Box 1234", "", "PO BOX 1234", ""},
		{"Post Office Box 9", "", "PO BOX 9", ""},
		{"1 Northeast Expressway", "", "1 NORTHEAST EXPY", ""},
	}
	for _, tt := range tests {
		t.Run(tt.street, func(t *testing.T) {
			got := address.Verify(address.Address{Street: tt.street, Unit: tt.unit, City: "San Francisco", State: "CA", PostalCode: "94105", Country: "US"})
			if got.Normalized.Street != tt.wantStreet || got.Normalized.Unit != tt.wantUnit {
				t.Errorf("street %q, unit %q; want %q, %q", got.Normalized.Street, got.Normalized.Unit, tt.wantStreet, tt.wantUnit)
			}
		})
	}
}
