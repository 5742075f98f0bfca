package pgstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ispstack/crm"
)

// refEncodeChanges is encodeChanges as it was, by encoding/json.
func refEncodeChanges(cs []crm.FieldChange) ([]byte, error) {
	if cs == nil {
		return nil, nil
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, c := range cs {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(c.Field)
		if err != nil {
			return nil, err
		}
		b.WriteString(`{"field":`)
		b.Write(name)
		for _, v := range []struct {
			key string
			raw json.RawMessage
		}{{"before", c.Before}, {"after", c.After}} {
			if v.raw == nil {
				continue
			}
			if !json.Valid(v.raw) {
				return nil, crm.Errorf(crm.CodeInvalid, "the %s value of audit field %q is not valid JSON", v.key, c.Field)
			}
			fmt.Fprintf(&b, `,%q:`, v.key)
			b.Write(v.raw)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.Bytes(), nil
}

// TestEncodeChangesMatchesJSON checks encodeChanges byte for byte, and its
// verdict on invalid values, against the encoding by encoding/json.
func TestEncodeChangesMatchesJSON(t *testing.T) {
	raws := []string{"null", "true", "false", `""`, `"a"`, `"é \xff"`, `"a\"b"`, `"a\\"`, `"\u00e9\n"`, "\"tab\t\"",
		`"`, `"a"b"`, `1`, `-1.5e3`, `01`, `{}`, `{"a":[1,null]}`, ` "x" `, `nul`, `truex`, `[1,`, ``, `'a'`}
	fields := []string{"name", "billing_address.city", `a"b`, "<&>", "é\xff", "\n"}
	for i, raw := range raws {
		cs := []crm.FieldChange{
			{Field: fields[i%len(fields)], Before: json.RawMessage(raw), After: crm.RawJSON("x")},
			{Field: fields[(i+1)%len(fields)], Before: nil, After: json.RawMessage(raw)},
		}
		got, gotErr := encodeChanges(cs)
		want, wantErr := refEncodeChanges(cs)
		if !bytes.Equal(got, want) || (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("%q: encodeChanges = %s, %v; want %s, %v", raw, got, gotErr, want, wantErr)
		}
	}
	if got, err := encodeChanges(nil); got != nil || err != nil {
		t.Errorf("encodeChanges(nil) = %s, %v", got, err)
	}
	if got, err := encodeChanges([]crm.FieldChange{}); string(got) != "[]" || err != nil {
		t.Errorf("encodeChanges(empty) = %s, %v", got, err)
	}
}
