package bulk

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// role is what an import does with a column's cells.
type role int

const (
	roleWritable role = iota // sets the customer.Input field
	roleIgnored              // a read-only field: accepted, ignored
	roleTaxID                // sets customer.Input.TaxID
)

// column is one column of a customer file.
type column struct {
	name string
	// key is the last part of name, the key in its JSON object.
	key  string
	role role
	// index leads from customer.Input to the field an import sets (a
	// writable column), through pointers; in is that field's leaf.
	index []int
	in    leaf
	// read leads from customer.Customer to the field an export writes
	// (every column but tax_id), through pointers; out is that field's
	// leaf. A writable field is read from the customer's field of the
	// same name, which holds what customer.InputOf would copy: an export
	// reads each customer in place, without building its Input.
	read []int
	out  leaf
	// exported reports whether an export may hold the column.
	exported bool
}

// group is a nested object of the columns ("billing_address").
type group struct {
	name string
	// read leads from customer.Customer to the object.
	read []int
}

// settable returns the field of c in root, a customer.Input, allocating
// the objects on the way.
func (c *column) settable(root reflect.Value) reflect.Value {
	v := root
	for i, x := range c.index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v
}

// follow walks index from root, false when a pointer on the way is nil.
func follow(root reflect.Value, index []int) (reflect.Value, bool) {
	v := root
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// exportLeading and exportTrailing are the read-only columns an export
// holds, before and after the writable ones.
var (
	exportLeading  = []string{"id", "account_number"}
	exportTrailing = []string{"status", "created_at", "updated_at"}
)

// taxIDColumn is the write-only column.
const taxIDColumn = "tax_id"

// catalog is every column, derived once from the customer types.
type catalog struct {
	byName map[string]*column
	// export are the columns of an export, in order.
	export []*column
	// selectable maps each name fields may give (a column, or an object
	// standing for all its columns) to the export columns it selects.
	selectable map[string][]*column
	groups     map[string]group
	// inputKeys are the top-level JSON keys of customer.Input; ignoredKeys
	// those of the read-only fields.
	inputKeys, ignoredKeys map[string]bool
}

// known is the catalog of the customer file.
var known = newCatalog()

func newCatalog() *catalog {
	c := &catalog{byName: map[string]*column{}, selectable: map[string][]*column{}, groups: map[string]group{},
		inputKeys: map[string]bool{}, ignoredKeys: map[string]bool{}}
	var writable []*column
	inputTypes := map[*column]reflect.Type{}
	walkFields(reflect.TypeFor[customer.Input](), nil, nil, func(keys []string, index []int, t reflect.Type) {
		col := &column{name: strings.Join(keys, "."), key: keys[len(keys)-1], role: roleWritable,
			index: index, in: leafFor(t), exported: true}
		c.byName[col.name] = col
		c.inputKeys[keys[0]] = true
		writable = append(writable, col)
		inputTypes[col] = t
	}, func([]string, []int) {})
	walkFields(reflect.TypeFor[customer.Customer](), nil, nil, func(keys []string, index []int, t reflect.Type) {
		name := strings.Join(keys, ".")
		if col := c.byName[name]; col != nil {
			if deref(t) != deref(inputTypes[col]) {
				panic("bulk: customer.Customer's field " + name + " is not of customer.Input's type")
			}
			col.read, col.out = index, leafFor(t)
			return
		}
		if c.inputKeys[keys[0]] {
			return
		}
		c.byName[name] = &column{name: name, key: keys[len(keys)-1], role: roleIgnored, read: index, out: leafFor(t)}
		c.ignoredKeys[keys[0]] = true
	}, func(keys []string, index []int) {
		name := strings.Join(keys, ".")
		c.groups[name] = group{name: name, read: index}
	})
	for _, col := range writable {
		if col.read == nil {
			panic("bulk: customer.Customer has no field " + col.name + " of customer.Input")
		}
	}
	c.byName[taxIDColumn] = &column{name: taxIDColumn, key: taxIDColumn, role: roleTaxID, in: stringLeaf}

	for _, name := range exportLeading {
		c.export = append(c.export, c.readOnly(name))
	}
	c.export = append(c.export, writable...)
	for _, name := range exportTrailing {
		c.export = append(c.export, c.readOnly(name))
	}
	for _, col := range c.export {
		col.exported = true
		keys := strings.Split(col.name, ".")
		for i := range keys {
			name := strings.Join(keys[:i+1], ".")
			c.selectable[name] = append(c.selectable[name], col)
		}
	}
	return c
}

// readOnly returns the read-only column name, which customer.Customer
// must have.
func (c *catalog) readOnly(name string) *column {
	col := c.byName[name]
	if col == nil || col.role != roleIgnored || strings.Contains(name, ".") {
		panic("bulk: customer.Customer has no read-only field " + name)
	}
	return col
}

// walkFields visits the JSON fields of struct type t as encoding/json
// names them (tags, "-", embedded structs): leaf for each value, object
// for each nested object (a struct, or a pointer to one, that does not
// marshal itself), whose fields it then visits. keys are the JSON names
// from the root, index the field indexes.
func walkFields(t reflect.Type, keys []string, index []int, leaf func(keys []string, index []int, t reflect.Type), object func(keys []string, index []int)) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		idx := append(slices.Clone(index), i)
		if f.Anonymous && name == "" {
			if ft := deref(f.Type); ft.Kind() == reflect.Struct {
				walkFields(ft, keys, idx, leaf, object)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		k := append(slices.Clone(keys), name)
		if isObject(f.Type) {
			object(k, idx)
			walkFields(deref(f.Type), k, idx, leaf, object)
			continue
		}
		leaf(k, idx, f.Type)
	}
}

func deref(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

// isObject reports whether values of t are JSON objects of their fields.
func isObject(t reflect.Type) bool {
	t = deref(t)
	if t.Kind() != reflect.Struct || t == timeType {
		return false
	}
	p := reflect.PointerTo(t)
	return !p.Implements(jsonMarshaler) && !p.Implements(textMarshaler) && !p.Implements(textUnmarshaler)
}

// Columns are the columns of one customer file, in file order: an
// import's header (ParseHeader) or an export's selection
// (SelectColumns). The zero Columns has no column.
//
// The columns of a customer file (the header of a CSV file, the keys of a
// JSON or NDJSON one) are the create request's field names, nested ones
// dotted ("billing_address.city",
// "communication_preferences.marketing_emails"), read by reflection from
// the JSON names of customer.Input, so a field added there is a column
// without further ado (an export reads it from the customer.Customer
// field of the same name, which customer.InputOf copies). Besides them:
//
//   - tax_id, write-only as in the API: an import may set it, an export
//     never holds it;
//   - the read-only fields of a customer (those of customer.Customer that
//     customer.Input lacks: id, account_number, status, version,
//     created_at, updated_at, tax_id_last4, suspension.*), which an
//     import accepts and ignores, so that a file exported here, or a
//     customer read from the API, imports as it is. Of them, an export
//     holds id, account_number, status, created_at and updated_at.
//
// An exported file imports unchanged: CSV cells are written as Row
// writes them and read as Input reads them, NDJSON lines as
// InputFromJSON reads them. One thing CSV readers (encoding/csv among
// them) do not keep is a CR LF line break inside a cell, which they read
// as LF: NDJSON keeps multi-line notes byte for byte.
type Columns struct {
	cols []*column
	// tree is the columns as nested JSON objects, for NDJSON.
	tree []*node
}

// node is a key of an NDJSON object: a column, or an object of nodes.
type node struct {
	// key is the quoted JSON key with its colon.
	key   []byte
	col   *column
	group group
	nodes []*node
}

func newColumns(cols []*column) Columns {
	cs := Columns{cols: cols}
	for _, c := range cols {
		cs.tree = insertNode(cs.tree, c, strings.Split(c.name, "."), 0)
	}
	return cs
}

// insertNode adds column c, whose name is keys, below the object of depth
// depth holding nodes: each object sits where its first column does.
func insertNode(nodes []*node, c *column, keys []string, depth int) []*node {
	key := append(appendJSONString(nil, keys[depth]), ':')
	if depth == len(keys)-1 {
		return append(nodes, &node{key: key, col: c})
	}
	for _, n := range nodes {
		if n.col == nil && string(n.key) == string(key) {
			n.nodes = insertNode(n.nodes, c, keys, depth+1)
			return nodes
		}
	}
	g := known.groups[strings.Join(keys[:depth+1], ".")]
	return append(nodes, &node{key: key, group: g, nodes: insertNode(nil, c, keys, depth+1)})
}

// Names returns the column names in order: the header of a CSV file.
func (cs Columns) Names() []string {
	names := make([]string, len(cs.cols))
	for i, c := range cs.cols {
		names[i] = c.name
	}
	return names
}

// ExportColumns are the columns of an export that selects none: id,
// account_number, every writable field (customer.Input's, nested ones
// dotted), status, created_at and updated_at.
func ExportColumns() Columns { return newColumns(known.export) }

// ParseHeader reads the header of a CSV import: each cell names a column
// (surrounding spaces and a UTF-8 byte order mark, which spreadsheets
// write, are dropped). The columns are the create request's field names,
// nested ones dotted, tax_id, and the read-only fields of a customer,
// which are accepted and ignored (see the package's file format). Errors:
// invalid, before any row is read, naming each unknown column and each
// column given twice.
func ParseHeader(header []string) (Columns, error) {
	var p crm.Problems
	if len(header) == 0 {
		p.Add("header", "must name the columns")
	}
	cols := make([]*column, 0, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		name := strings.TrimSpace(h)
		col := known.byName[name]
		switch {
		case name == "":
			p.Addf("header", "column %d has no name", i+1)
		case col == nil:
			p.Add(columnField(name, "header"), "is not a known column")
		case seen[name]:
			p.Add(name, "is given more than once")
		}
		seen[name] = true
		cols = append(cols, col)
	}
	if len(p) > 0 {
		return Columns{}, &crm.Error{Code: crm.CodeInvalid, Fields: p,
			Message: "The CSV header must name columns of the customer file: the create request's field names, nested ones dotted (billing_address.city)."}
	}
	return newColumns(cols), nil
}

// SelectColumns returns the export columns that fields name, in that
// order: a column (billing_address.city), or an object for all its
// columns (billing_address); none selects every export column
// (ExportColumns). Errors: invalid naming "fields", for an unknown name,
// tax_id (never exported), and a column selected twice.
func SelectColumns(fields []string) (Columns, error) {
	if len(fields) == 0 {
		return ExportColumns(), nil
	}
	var p crm.Problems
	var cols []*column
	seen := map[*column]bool{}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		selected := known.selectable[f]
		switch {
		case f == "":
			p.Add("fields", "must not name an empty column")
		case f == taxIDColumn:
			p.Add("fields", "cannot name tax_id: tax ids are never exported")
		case selected == nil:
			p.Add("fields", "names an unknown column"+quoted(f))
		}
		for _, c := range selected {
			if seen[c] {
				p.Add("fields", "selects the column "+c.name+" twice")
				continue
			}
			seen[c] = true
			cols = append(cols, c)
		}
	}
	if err := p.Err(); err != nil {
		return Columns{}, err
	}
	return newColumns(cols), nil
}

// columnField is name as the field of a problem, or fallback when name
// cannot be shown (too long, or not printable text).
func columnField(name, fallback string) string {
	if printableName(name) {
		return name
	}
	return fallback
}

// quoted is ": " and name quoted for a message, or "" when name cannot be
// shown.
func quoted(name string) string {
	if printableName(name) {
		return fmt.Sprintf(": %q", name)
	}
	return ""
}

// printableName reports whether name may be echoed in a problem: up to
// 64 characters of printable ASCII, as column names are.
func printableName(name string) bool {
	if utf8.RuneCountInString(name) > 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] >= 0x7f {
			return false
		}
	}
	return true
}
