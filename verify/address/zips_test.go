package address

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

func TestZIPTable(t *testing.T) {
	ix := zips()
	// GeoNames' US.txt has 41,490 rows; two ZIPs appear twice.
	if len(ix.places) != 41490 || len(ix.byZIP) != 41488 {
		t.Errorf("%d places in %d ZIPs, want 41490 in 41488", len(ix.places), len(ix.byZIP))
	}
	military := 0
	for _, p := range ix.places {
		switch p.state {
		case "AA", "AE", "AP":
			military++
			if p.city != "APO" && p.city != "FPO" {
				t.Errorf("military place %q, want APO or FPO", p.city)
			}
		}
	}
	if military != 511 {
		t.Errorf("%d military places, want 511", military)
	}
	for _, zip := range []string{"00501", "94105", "99950"} {
		if len(ix.lookup(zip)) != 1 {
			t.Errorf("lookup(%s) = %v, want one place", zip, ix.lookup(zip))
		}
	}
}

func TestParseZIPsRejects(t *testing.T) {
	for name, table := range map[string]string{
		"short row":        "94105\tSan Francisco\tCA\t37.7864\n",
		"bad latitude":     "94105\tSan Francisco\tCA\tnorth\t-122.3892\n",
		"no state":         "94105\tSan Francisco\t\t37.7864\t-122.3892\n",
		"ZIP out of order": "94105\tSan Francisco\tCA\t37.7864\t-122.3892\n94107\tSan Francisco\tCA\t37.7\t-122.3\n94105\tOther\tCA\t37.7\t-122.3\n",
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte("# header\n" + table))
			zw.Close()
			if _, err := parseZIPs(buf.Bytes()); err == nil || !strings.Contains(err.Error(), "line") {
				t.Errorf("err = %v, want one naming the line", err)
			}
		})
	}
}

func TestCityKey(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"White Water", "Whitewater"},
		{"St. Louis", "Saint Louis"},
		{"ST LOUIS", "saint louis"},
		{"Ste. Genevieve", "Sainte Genevieve"},
		{"Ft Mitchell", "Fort Mitchell"},
		{"Mt Zion", "Mount Zion"},
		{"Winston-Salem", "Winston Salem"},
		{"Coeur d'Alene", "Coeur D Alene"},
		{"  san   francisco ", "San Francisco"},
	} {
		if cityKey(tt.a) != cityKey(tt.b) {
			t.Errorf("cityKey(%q) = %q, cityKey(%q) = %q; want equal", tt.a, cityKey(tt.a), tt.b, cityKey(tt.b))
		}
	}
	if cityKey("Oakland") == cityKey("San Francisco") {
		t.Error("different cities share a key")
	}
}

func TestWithinOneEdit(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"SANFRANCISCO", "SANFRANSISCO", true},
		{"SANFRANCISCO", "SANFRANCISC", true},
		{"SANFRANCISCO", "SANNFRANCISCO", true},
		{"SANFRANCISCO", "SANFRANCISCO", true},
		{"SANFRANCISCO", "SANFRANSISKO", false},
		{"OAKLAND", "AKLANDO", false},
	} {
		if got := withinOneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// BenchmarkLoadZIPs measures the one-time parse of the embedded table.
func BenchmarkLoadZIPs(b *testing.B) {
	for b.Loop() {
		if _, err := parseZIPs(zipTable); err != nil {
			b.Fatal(err)
		}
	}
}
