package bulk

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/internal/jsonfield"
)

// Input builds the customer.Input of one CSV record of an import whose
// header gave cs: an empty cell is an absent field; booleans are true or
// false, numbers and dates as in JSON; a nested object (an address, the
// communication preferences) is set only when one of its cells is not
// empty, its other fields then zero, as in a JSON body that names only
// some of them. A text cell that formula escaping (see Row) prefixed
// with a quote loses that quote.
// Read-only columns are ignored; tax_id sets the tax id when not empty.
// The problems name each cell that does not parse by its column; the
// Input is not validated (customer.Service does that as for one create).
func (cs Columns) Input(record []string) (customer.Input, crm.Problems) {
	return cs.Merge(record, customer.Input{})
}

// Merge is Input over base: the record's non-empty cells replace base's
// fields, a nested object's key by key, as a JSON merge patch naming the
// same fields would (an upsert's update). An empty cell keeps base's
// value: a CSV file cannot clear a field.
func (cs Columns) Merge(record []string, base customer.Input) (customer.Input, crm.Problems) {
	in := base
	var p crm.Problems
	if len(record) != len(cs.cols) {
		p.Addf("", "has %d cells where the header names %d columns", len(record), len(cs.cols))
		return in, p
	}
	root := reflect.ValueOf(&in).Elem()
	for i, c := range cs.cols {
		cell := record[i]
		if cell == "" || c.role == roleIgnored {
			continue
		}
		if c.in.text {
			cell = unescapeFormula(cell)
		}
		if c.role == roleTaxID {
			in.TaxID = &cell
			continue
		}
		if err := c.in.parse(cell, c.settable(root)); err != nil {
			p.Add(c.name, err.Error())
		}
	}
	return in, p
}

// Row returns the CSV record of c in the columns cs, with an empty cell
// for an absent field. A text cell that a spreadsheet would run as a
// formula (beginning with =, +, -, @, tab or carriage return) is
// prefixed with a single quote, as OWASP recommends against formula
// injection, and so is one that begins with quotes followed by such a
// character, so that Input takes exactly that quote off again and an
// exported file imports unchanged. Columns an export does not hold
// (tax_id, the read-only ones but id, account_number, status, created_at
// and updated_at) are empty.
func (cs Columns) Row(c *customer.Customer) []string {
	root := reflect.ValueOf(c).Elem()
	row := make([]string, len(cs.cols))
	var cell []byte
	for i, col := range cs.cols {
		cell = col.appendCell(cell[:0], root)
		row[i] = string(cell)
	}
	return row
}

// appendCell appends the cell of col in Row to dst; root is the
// customer.Customer.
func (col *column) appendCell(dst []byte, root reflect.Value) []byte {
	if !col.exported {
		return dst
	}
	v, ok := follow(root, col.read)
	if !ok {
		return dst
	}
	if !col.out.text {
		return col.out.cell(dst, v)
	}
	start := len(dst)
	return escapeFormula(col.out.cell(dst, v), start)
}

// appendCSV appends the CSV record of c, its cells as Row gives them and
// quoted as encoding/csv quotes them, and a line end. Each cell is
// written in place and moved aside only when it needs quotes; scratch is
// the space for that, returned for reuse.
func (cs Columns) appendCSV(dst, scratch []byte, c *customer.Customer) (line, scratchOut []byte) {
	root := reflect.ValueOf(c).Elem()
	empty := false
	for i, col := range cs.cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		start := len(dst)
		dst = col.appendCell(dst, root)
		if cell := dst[start:]; csvNeedsQuotes(cell) {
			scratch = append(scratch[:0], cell...)
			dst = appendCSVQuoted(dst[:start], scratch)
		}
		empty = len(dst) == start
	}
	if len(cs.cols) == 1 && empty {
		dst = append(dst, `""`...) // not a blank line, which readers skip
	}
	return append(dst, '\n'), scratch
}

// appendCSVHeader appends the header row of cs.
func (cs Columns) appendCSVHeader(dst []byte) []byte {
	for i, c := range cs.cols {
		if i > 0 {
			dst = append(dst, ',')
		}
		if field := []byte(c.name); csvNeedsQuotes(field) {
			dst = appendCSVQuoted(dst, field)
		} else {
			dst = append(dst, field...)
		}
	}
	return append(dst, '\n')
}

// csvNeedsQuotes reports whether encoding/csv's Writer would quote field:
// when it holds a comma, a quote or a line break, begins with a space, or
// is \. (which Postgres reads as the end of data).
func csvNeedsQuotes(field []byte) bool {
	if len(field) == 0 {
		return false
	}
	if b := field[0]; b < utf8.RuneSelf {
		if b == ' ' || b == '\t' || b == '\v' || b == '\f' { // \r and \n are found below
			return true
		}
	} else if r, _ := utf8.DecodeRune(field); unicode.IsSpace(r) {
		return true
	}
	if string(field) == `\.` {
		return true
	}
	for _, b := range field {
		if csvSpecial[b] {
			return true
		}
	}
	return false
}

// csvSpecial are the bytes that make a CSV cell need quotes: a table,
// for a test per byte of every cell.
var csvSpecial = [256]bool{',': true, '"': true, '\r': true, '\n': true}

// appendCSVQuoted appends field quoted, its quotes doubled.
func appendCSVQuoted(dst, field []byte) []byte {
	dst = append(dst, '"')
	for {
		i := bytes.IndexByte(field, '"')
		if i < 0 {
			break
		}
		dst = append(dst, field[:i+1]...)
		dst = append(dst, '"')
		field = field[i+1:]
	}
	dst = append(dst, field...)
	return append(dst, '"')
}

// appendJSON appends c as the JSON object of an NDJSON export: the
// columns cs as keys, nested ones as objects (null when absent, as an
// absent service address), absent values null, no formula escaping.
func (cs Columns) appendJSON(dst []byte, c *customer.Customer) []byte {
	return appendNodes(dst, cs.tree, reflect.ValueOf(c).Elem())
}

// appendNodes appends the object of nodes; root is the customer.Customer.
func appendNodes(dst []byte, nodes []*node, root reflect.Value) []byte {
	dst = append(dst, '{')
	for i, n := range nodes {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, n.key...)
		if n.col != nil {
			if v, ok := follow(root, n.col.read); ok && n.col.exported {
				dst = n.col.out.json(dst, v)
			} else {
				dst = append(dst, "null"...)
			}
			continue
		}
		v, ok := follow(root, n.group.read)
		if !ok || v.Kind() == reflect.Pointer && v.IsNil() {
			dst = append(dst, "null"...)
			continue
		}
		dst = appendNodes(dst, n.nodes, root)
	}
	return append(dst, '}')
}

// InputFromJSON reads one customer of a JSON or NDJSON import: an object
// with the create request's fields (nested objects as objects), and
// tax_id (a string sets the tax id, null clears it), as a create request
// body. The read-only fields of a customer (id, account_number, status,
// version, created_at, updated_at, tax_id_last4, suspension) are
// accepted and ignored, so a customer as the API or an NDJSON export
// shows it imports as it is. The problems name each unknown field and
// each value of the wrong type; the Input is not validated
// (customer.Service does that as for one create).
func InputFromJSON(raw []byte) (customer.Input, crm.Problems) {
	var in customer.Input
	var p crm.Problems
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		p.Add("", "must be a JSON object")
		return in, p
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		switch {
		case known.ignoredKeys[k]:
			delete(fields, k)
		case k == taxIDColumn:
			in.TaxID = taxIDOf(&p, fields[k])
			delete(fields, k)
		case !known.inputKeys[k]: // encoding/json would match keys case-insensitively
			p.Add(columnField(k, ""), "is not a known field")
			delete(fields, k)
		}
	}
	body, err := json.Marshal(fields)
	if err == nil && jsonfield.Decode(body, &in) == nil {
		return in, p
	}
	jsonfield.AddProblems(&p, fields, reflect.TypeFor[customer.Input]())
	return in, p
}

// taxIDOf reads the tax_id of a JSON row: null clears (""), a string
// sets; an empty string is a problem, as in a create request.
func taxIDOf(p *crm.Problems, raw json.RawMessage) *string {
	if string(bytes.TrimSpace(raw)) == "null" {
		clear := ""
		return &clear
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.Add(taxIDColumn, "must be a string or null")
		return nil
	}
	if s == "" {
		p.Add(taxIDColumn, "must not be empty; send null to remove the tax id")
		return nil
	}
	return &s
}
