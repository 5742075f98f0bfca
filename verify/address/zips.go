package address

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The table is derived from GeoNames' US.txt by internal/zipgen; see
// data/README.md.
//
//go:generate go run ./internal/zipgen -in $GEONAMES_US -out data/us-zip.tsv.gz

//go:embed data/us-zip.tsv.gz
var zipTable []byte

// place is one row of the table: a place a ZIP serves.
type place struct {
	city  string // GeoNames' spelling, e.g. "Saint Louis"
	key   string // cityKey(city)
	state string
	lat   float64
	lon   float64
}

// zipIndex finds a ZIP's places in O(1): rows are sorted by ZIP, so each
// ZIP's places are a run of places.
type zipIndex struct {
	places []place
	byZIP  map[uint32]span
}

// span is a run of zipIndex.places.
type span struct{ start, n uint32 }

// lookup returns the places that ZIP (five digits) serves, nil if none.
func (ix *zipIndex) lookup(zip string) []place {
	n, err := strconv.ParseUint(zip, 10, 32)
	if err != nil {
		return nil
	}
	s, ok := ix.byZIP[uint32(n)]
	if !ok {
		return nil
	}
	return ix.places[s.start : s.start+s.n]
}

// zips is the table, parsed on first use. The table is embedded and
// checked by the package's tests, so a failure to parse it is a
// programming error.
var zips = sync.OnceValue(func() *zipIndex {
	ix, err := parseZIPs(zipTable)
	if err != nil {
		panic(err)
	}
	return ix
})

// Preload parses the embedded ZIP table now rather than on the first
// Verify, for servers that would rather pay the cost at start.
func Preload() { zips() }

// parseZIPs reads the gzipped table: # comment lines, then rows of zip,
// place name, state code, latitude, longitude, sorted by ZIP.
func parseZIPs(gz []byte) (*zipIndex, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("address: ZIP table: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("address: ZIP table: %w", err)
	}
	text := string(raw)
	ix := &zipIndex{places: make([]place, 0, strings.Count(text, "\n")), byZIP: make(map[uint32]span, 42000)}
	// Many ZIPs share a city; computing each name's key once halves the
	// parse.
	keys := make(map[string]string, 20000)
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		zip, rest, _ := strings.Cut(line, "\t")
		city, rest, _ := strings.Cut(rest, "\t")
		state, rest, _ := strings.Cut(rest, "\t")
		latS, lonS, _ := strings.Cut(rest, "\t")
		z, err1 := strconv.ParseUint(zip, 10, 32)
		lat, err2 := strconv.ParseFloat(latS, 64)
		lon, err3 := strconv.ParseFloat(lonS, 64)
		if len(zip) != 5 || err1 != nil || err2 != nil || err3 != nil || city == "" || len(state) != 2 {
			return nil, fmt.Errorf("address: ZIP table line %d: malformed row %q", n, line)
		}
		s, seen := ix.byZIP[uint32(z)]
		switch {
		case !seen:
			s = span{start: uint32(len(ix.places))}
		case s.start+s.n != uint32(len(ix.places)):
			return nil, fmt.Errorf("address: ZIP table line %d: ZIP %s out of order", n, zip)
		}
		s.n++
		ix.byZIP[uint32(z)] = s
		key, ok := keys[city]
		if !ok {
			key = cityKey(city)
			keys[city] = key
		}
		ix.places = append(ix.places, place{city: city, key: key, state: state, lat: lat, lon: lon})
	}
	return ix, nil
}
