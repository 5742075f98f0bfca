// Command zipgen derives the compact ZIP table embedded by package address
// from GeoNames' US postal codes (US.txt of
// https://download.geonames.org/export/zip/US.zip, CC-BY 4.0).
//
// It keeps five columns of each row (ZIP, place name, state code, latitude,
// longitude), writes military rows the way USPS addresses them (city APO or
// FPO, state AA, AE or AP), sorts the rows by ZIP and gzips the result with
// a header that carries the credit. Run it through go generate in
// verify/address with GEONAMES_US naming the downloaded US.txt:
//
//	GEONAMES_US=/path/to/US.txt go generate ./verify/address
package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// header is written before the rows; package address skips # lines.
const header = `# Postal code data © GeoNames, CC-BY 4.0 (https://www.geonames.org, https://creativecommons.org/licenses/by/4.0/).
# Derived from GeoNames' US postal codes (US.txt) by verify/address/internal/zipgen:
# every row, five columns kept, military rows as USPS writes them (APO/FPO, AA/AE/AP).
# Columns, tab-separated: zip, place name, state code, latitude, longitude.
`

func main() {
	in := flag.String("in", "", "GeoNames US.txt (tab-separated, no header)")
	out := flag.String("out", "data/us-zip.tsv.gz", "gzipped table to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "zipgen:", err)
		os.Exit(1)
	}
}

// row is one kept row of US.txt.
type row struct{ zip, city, state, lat, lon string }

func run(in, out string) error {
	if in == "" {
		return fmt.Errorf("-in is required (set GEONAMES_US for go generate)")
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := read(f)
	if err != nil {
		return err
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.zip, b.zip), cmp.Compare(a.state, b.state), cmp.Compare(a.city, b.city))
	})
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(header)
	for _, r := range rows {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\n", r.zip, r.city, r.state, r.lat, r.lon)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return w.Close()
}

// read parses US.txt: country, postal code, place name, state name, state
// code, county name, county code, admin3 name, admin3 code, latitude,
// longitude, accuracy.
func read(r io.Reader) ([]row, error) {
	var rows []row
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 11 || f[0] != "US" || len(f[1]) != 5 {
			return nil, fmt.Errorf("line %d: not a GeoNames US postal code row", n)
		}
		r := row{zip: f[1], city: f[2], state: f[4], lat: f[9], lon: f[10]}
		if r.state == "" {
			r.city, r.state = military(r.zip, r.city)
		}
		if r.state == "" {
			return nil, fmt.Errorf("line %d: ZIP %s has no state", n, r.zip)
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}

// military splits GeoNames' "APO AE" into the USPS city APO and state AE;
// when the name carries no state ("APO STA"), the ZIP's range gives it.
func military(zip, place string) (city, state string) {
	city, state, _ = strings.Cut(place, " ")
	switch state {
	case "AA", "AE", "AP":
		return city, state
	}
	switch {
	case strings.HasPrefix(zip, "340"):
		return city, "AA"
	case zip >= "09000" && zip < "09999":
		return city, "AE"
	case zip >= "96200" && zip < "96700":
		return city, "AP"
	}
	return place, ""
}
