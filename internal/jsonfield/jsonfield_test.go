package jsonfield

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/ispstack/crm"
)

type address struct {
	City string `json:"city"`
}

type target struct {
	Name    string    `json:"name"`
	Count   int       `json:"count"`
	At      time.Time `json:"at"`
	Address *address  `json:"address"`
}

// TestAddProblems: every bad field is named, with a message that does not
// quote its value; good fields add nothing.
func TestAddProblems(t *testing.T) {
	var fields map[string]json.RawMessage
	body := `{"name": 5, "count": "many", "at": "yesterday", "address": {"city": "X", "zip": "1"}, "extra": 1}`
	if err := json.Unmarshal([]byte(body), &fields); err != nil {
		t.Fatal(err)
	}
	if Decode([]byte(body), new(target)) == nil {
		t.Fatal("Decode accepted a bad body")
	}
	var p crm.Problems
	AddProblems(&p, fields, reflect.TypeFor[target]())
	want := crm.Problems{
		{Field: "address.zip", Message: "is not a known field"},
		{Field: "at", Message: "must be a time in RFC 3339 format (2025-01-31T09:30:00Z)"},
		{Field: "count", Message: "must be an integer in range"},
		{Field: "extra", Message: "is not a known field"},
		{Field: "name", Message: "must be a string"},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("problems %+v, want %+v", p, want)
	}
	if err := Decode([]byte(`{"name": "a", "count": 2, "address": {"city": "B"}}`), new(target)); err != nil {
		t.Errorf("a good body: %v", err)
	}
}
