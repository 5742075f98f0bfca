package bulk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ispstack/crm"
)

// FormatJSON is an import's body as one JSON array of objects shaped like
// a create request (exports are CSV or NDJSON).
const FormatJSON Format = "json"

// ImportFormats are the formats an import reads.
var ImportFormats = []Format{FormatCSV, FormatJSON, FormatNDJSON}

// row is one row of an import: its number (1-based, the CSV header not
// counted) and its cells (CSV) or JSON object, or the problems that kept
// it from being read as one.
type row struct {
	n        int
	cells    []string
	object   json.RawMessage
	problems crm.Problems
}

// rowSource reads an import's rows in order.
type rowSource interface {
	// next returns the next row and the input offset just after it;
	// io.EOF after the last row. Any other error means the input cannot
	// be read further.
	next() (row, int64, error)
}

// newRowSource reads rows of format from r, which starts at offset of the
// input, after rows rows were read before (a resumed import).
func newRowSource(format Format, r io.Reader, offset int64, rows int) (rowSource, error) {
	switch format {
	case FormatCSV:
		return newCSVRows(r, offset, rows)
	case FormatJSON:
		return newJSONRows(r, offset, rows)
	case FormatNDJSON:
		return &ndjsonRows{br: bufio.NewReaderSize(r, 64<<10), offset: offset, n: rows}, nil
	}
	return nil, crm.Errorf(crm.CodeInvalid, "unknown import format %q", format)
}

// csvRows reads CSV records after the header.
type csvRows struct {
	cr   *csv.Reader
	base int64
	n    int
}

func newCSVRows(r io.Reader, offset int64, rows int) (*csvRows, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	s := &csvRows{cr: cr, base: offset, n: rows}
	if offset == 0 {
		if _, err := cr.Read(); err != nil {
			return nil, malformed(err)
		}
	}
	return s, nil
}

func (s *csvRows) next() (row, int64, error) {
	rec, err := s.cr.Read()
	if err != nil {
		if err == io.EOF {
			return row{}, 0, io.EOF
		}
		return row{}, 0, malformed(err)
	}
	s.n++
	return row{n: s.n, cells: rec}, s.base + s.cr.InputOffset(), nil
}

// jsonRows reads the elements of a JSON array.
type jsonRows struct {
	dec  *json.Decoder
	base int64 // the input offset of the decoder's offset 0
	n    int
	done bool
}

// newJSONRows starts reading the array at offset: its start, or just
// after an element (a resumed import), where a comma or the closing
// bracket follows.
func newJSONRows(r io.Reader, offset int64, rows int) (*jsonRows, error) {
	if offset == 0 {
		dec := json.NewDecoder(r)
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return nil, malformed(errors.New("the body must be a JSON array of objects"))
		}
		return &jsonRows{dec: dec, n: rows}, nil
	}
	// Skip to the comma after the last element read, then read the rest
	// as if it were an array of its own.
	var b [1]byte
	skipped := int64(0)
	for {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, malformed(err)
		}
		skipped++
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			continue
		case ']':
			return &jsonRows{n: rows, done: true}, nil
		case ',':
		default:
			return nil, malformed(fmt.Errorf("unexpected %q after row %d", b[0], rows))
		}
		break
	}
	dec := json.NewDecoder(io.MultiReader(strings.NewReader("["), r))
	if _, err := dec.Token(); err != nil {
		return nil, malformed(err)
	}
	// The decoder's offset 1 is the input's offset+skipped.
	return &jsonRows{dec: dec, base: offset + skipped - 1, n: rows}, nil
}

func (s *jsonRows) next() (row, int64, error) {
	if s.done || !s.dec.More() {
		return row{}, 0, io.EOF
	}
	var raw json.RawMessage
	if err := s.dec.Decode(&raw); err != nil {
		return row{}, 0, malformed(err)
	}
	s.n++
	return objectRow(s.n, raw), s.base + s.dec.InputOffset(), nil
}

// ndjsonRows reads one JSON object per line; blank lines are skipped.
type ndjsonRows struct {
	br     *bufio.Reader
	offset int64
	n      int
}

func (s *ndjsonRows) next() (row, int64, error) {
	for {
		line, err := s.br.ReadBytes('\n')
		s.offset += int64(len(line))
		if len(bytes.TrimSpace(line)) > 0 {
			s.n++
			return objectRow(s.n, bytes.TrimSpace(line)), s.offset, nil
		}
		if err != nil {
			if err == io.EOF {
				return row{}, 0, io.EOF
			}
			return row{}, 0, err
		}
	}
}

// objectRow is the row of a JSON value, which must be an object.
func objectRow(n int, raw json.RawMessage) row {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' || !json.Valid(raw) {
		return row{n: n, problems: crm.Problems{{Message: "must be a JSON object"}}}
	}
	return row{n: n, object: append(json.RawMessage(nil), raw...)}
}

// malformed is the error of an input that cannot be parsed further.
func malformed(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return crm.Errorf(crm.CodeInvalid, "the CSV is malformed at line %d: %v", pe.Line, pe.Err)
	}
	return crm.Errorf(crm.CodeInvalid, "the input is malformed: %v", err)
}
