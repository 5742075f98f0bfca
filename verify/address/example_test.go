package address_test

import (
	"fmt"

	"github.com/ispstack/crm/verify/address"
)

func ExampleVerify() {
	r := address.Verify(address.Address{
		Street: "123 north main street apt 4b", City: "St. Louis",
		State: "MO", PostalCode: "63105", Country: "US",
	})
	fmt.Println(r.Valid, r.Confidence)
	fmt.Printf("%+v\n", r.Normalized)
	fmt.Printf("%+v\n", *r.Coordinates)
	// Output:
	// true 0.9
	// {Street:123 N MAIN ST Unit:APT 4B City:SAINT LOUIS State:MO PostalCode:63105 Country:US}
	// {Latitude:38.6459 Longitude:-90.3264 Precision:postal_code}
}
