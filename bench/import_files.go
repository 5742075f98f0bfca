package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"os"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
)

// importReadOnly are the read-only columns of an export, which an import
// accepts and ignores: the file a source system hands over holds the
// writable fields and the tax id instead.
var importReadOnly = map[string]bool{"id": true, "account_number": true, "status": true, "created_at": true, "updated_at": true}

// importHeader is the header of the bulkimport phase's CSV file: every
// writable column of the customer file (those of an export, the
// read-only ones left out) and tax_id.
func importHeader() []string {
	var h []string
	for _, name := range bulk.ExportColumns().Names() {
		if !importReadOnly[name] {
			h = append(h, name)
		}
	}
	return append(h, "tax_id")
}

// importChecked is how many rows writeImportFiles reads back through the
// import's own CSV parsing.
const importChecked = 300

// importCustomer is the generated customer of index i as an import
// creates it: active, with an external id from the source system, and the
// clear digits of its tax id; nil for an index whose customer is closed
// (erased: nothing to import).
func importCustomer(gen *generator, i int) (*customer.Customer, string, error) {
	c, tax, err := gen.customer(i)
	if err != nil || c.Status == customer.StatusClosed {
		return nil, "", err
	}
	c.Status, c.Suspension, c.Version = customer.StatusActive, nil, 1
	c.ExternalID = fmt.Sprintf("LEGACY-%09d", i)
	return c, tax, nil
}

// writeImportFiles writes n generated customers twice: as the CSV file
// the API imports (csvPath, headed by importHeader), and as the rows of
// the customers table those customers are (tablePath, CSV as COPY writes
// them, for psql's \copy). conn's database provides the table's shape: the
// rows are COPYed into an unlogged copy of it and written out from there,
// so every cell is in Postgres' own text form. It returns the CSV file's
// column count. The first rows are read back as the import reads them,
// which must give each customer's writable fields unchanged.
func writeImportFiles(ctx context.Context, conn *pgx.Conn, gen *generator, n int, csvPath, tablePath string) (int, error) {
	header := importHeader()
	cols, err := bulk.ParseHeader(header)
	if err != nil {
		return 0, err
	}
	tableCols, err := tableColumns(ctx, conn, "customers")
	if err != nil {
		return 0, err
	}
	extract, err := extractors(tableCols)
	if err != nil {
		return 0, err
	}
	if _, err := conn.Exec(ctx, "CREATE UNLOGGED TABLE import_source (LIKE customers)"); err != nil {
		return 0, err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "DROP TABLE IF EXISTS import_source") //nolint:errcheck // the database is dropped after the phase

	f, err := os.Create(csvPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	if err := w.Write(header); err != nil {
		return 0, err
	}
	written, i := 0, 0
	vals := make([]any, len(extract))
	src := pgx.CopyFromFunc(func() ([]any, error) {
		for ; written < n; i++ {
			c, tax, err := importCustomer(gen, i)
			if err != nil {
				return nil, err
			}
			if c == nil {
				continue
			}
			record := cols.Row(c)
			record[len(record)-1] = formatTaxID(tax, c.Type)
			if written < importChecked {
				if err := checkImportRecord(cols, record, c, tax); err != nil {
					return nil, fmt.Errorf("import row %d: %w", written+1, err)
				}
			}
			if err := w.Write(record); err != nil {
				return nil, err
			}
			for j, x := range extract {
				vals[j] = x(c)
			}
			written++
			i++
			return vals, nil
		}
		return nil, nil
	})
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"import_source"}, tableCols, src); err != nil {
		return 0, fmt.Errorf("COPY import_source: %w", err)
	}
	if w.Flush(); w.Error() != nil {
		return 0, w.Error()
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}

	tf, err := os.Create(tablePath)
	if err != nil {
		return 0, err
	}
	defer tf.Close()
	tw := bufio.NewWriterSize(tf, 1<<20)
	if _, err := conn.PgConn().CopyTo(ctx, tw, "COPY import_source TO STDOUT WITH (FORMAT csv)"); err != nil {
		return 0, fmt.Errorf("COPY import_source TO a file: %w", err)
	}
	if err := tw.Flush(); err != nil {
		return 0, err
	}
	return len(header), nil
}

// checkImportRecord reads record back as the import does and compares it
// with c's writable fields and tax id.
func checkImportRecord(cols bulk.Columns, record []string, c *customer.Customer, tax string) error {
	got, problems := cols.Input(record)
	if err := problems.Err(); err != nil {
		return err
	}
	want := customer.InputOf(c)
	if tax != "" {
		t := formatTaxID(tax, c.Type)
		want.TaxID = &t
	}
	if diff := cmp.Diff(want, got); diff != "" {
		return fmt.Errorf("the CSV record does not read back as the customer (-want +got):\n%s", diff)
	}
	return nil
}
