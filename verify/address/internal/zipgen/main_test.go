package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRead(t *testing.T) {
	in := "US\t94105\tSan Francisco\tCalifornia\tCA\tCity and County of San Francisco\t075\t\t\t37.7864\t-122.3892\t4\n" +
		"US\t09007\tAPO AE\t\t\t\t\t\t\t49.4077\t8.6908\t\n" +
		"US\t96365\tAPO STA\t\t\t\t\t\t\t26.3652\t127.7586\t\n"
	got, err := read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"94105", "San Francisco", "CA", "37.7864", "-122.3892"},
		{"09007", "APO", "AE", "49.4077", "8.6908"},
		{"96365", "APO", "AP", "26.3652", "127.7586"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := read(strings.NewReader("US\t12345\tNowhere\t\t\t\t\t\t\t1\t2\t\n")); err == nil {
		t.Error("a row without a state that is not military was accepted")
	}
}
