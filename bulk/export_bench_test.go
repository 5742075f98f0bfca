package bulk_test

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/internal/teststore"
)

// BenchmarkExportCSV exports 20,000 customers as CSV per iteration on
// each store and reports rows/s.
func BenchmarkExportCSV(b *testing.B) {
	const n = 20_000
	for _, k := range teststore.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			st := k.Open(b)
			f := newJobFixture(&testing.T{}, st)
			var sb strings.Builder
			sb.WriteString(csvHeader)
			for i := range n {
				fmt.Fprintf(&sb, "Customer %d,c%d@example.com,+1212%07d,residential,1 Main St,Springfield,IL,62701,US,ext-%d,true,true\n", i, i, 2000000+i, i)
			}
			j, err := f.svc.SubmitImport(b.Context(), bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, strings.NewReader(sb.String()))
			if err != nil {
				b.Fatal(err)
			}
			for {
				if k, err := f.svc.ProcessDue(b.Context()); err != nil || k == 0 {
					break
				}
			}
			if got, _ := f.svc.Get(b.Context(), j.ID); got.Counts.Created != n {
				b.Fatalf("seeded %+v", got.Counts)
			}
			exports := bulk.NewExportService(st, nil, bulk.ExportOptions{})
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				rows, err := exports.Export(b.Context(), io.Discard, bulk.ExportRequest{})
				if err != nil || rows != n {
					b.Fatalf("exported %d (%v)", rows, err)
				}
			}
			b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
