package demo

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// zipsTSV is a compact extract of GeoNames' US postal codes; see the header
// of the file for how it was derived and for the CC-BY credit.
//
//go:embed zips.tsv
var zipsTSV string

// place is one real US ZIP code with its city and position.
type place struct {
	ZIP   string
	City  string
	State string
	Lat   float64
	Lon   float64
}

// places is zipsTSV parsed once at start; a malformed row is a programming
// error in the embedded file, caught by the package's tests.
var places = mustParsePlaces(zipsTSV)

func mustParsePlaces(tsv string) []place {
	ps, err := parsePlaces(tsv)
	if err != nil {
		panic(err)
	}
	return ps
}

// parsePlaces reads the rows of zips.tsv, skipping # comments.
func parsePlaces(tsv string) ([]place, error) {
	var out []place
	for i, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("demo: zips.tsv line %d: want 5 fields, got %d", i+1, len(f))
		}
		lat, err1 := strconv.ParseFloat(f[3], 64)
		lon, err2 := strconv.ParseFloat(f[4], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("demo: zips.tsv line %d: bad coordinates", i+1)
		}
		out = append(out, place{ZIP: f[0], City: f[1], State: f[2], Lat: lat, Lon: lon})
	}
	return out, nil
}
