package bulk_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// BenchmarkImportCSV imports b.N rows of CSV, 1,000 per batch, on each
// store and reports rows/s.
func BenchmarkImportCSV(b *testing.B) {
	for _, k := range teststore.Kinds {
		b.Run(k.Name, func(b *testing.B) {
			st := k.Open(b)
			f := newJobFixture(&testing.T{}, st)
			f.svc = bulk.NewService(st, store.Tx[bulk.Repository](st), f.customers, bulk.Options{Now: f.clock.Now})
			var sb strings.Builder
			sb.WriteString(csvHeader)
			for i := range b.N {
				fmt.Fprintf(&sb, "Customer %d,c%d@example.com,+1212%07d,residential,1 Main St,Springfield,IL,62701,US,ext-%d,true,true\n", i, i, 2000000+i, i)
			}
			b.ResetTimer()
			start := time.Now()
			j, err := f.svc.SubmitImport(b.Context(), bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV}, strings.NewReader(sb.String()))
			if err != nil {
				b.Fatal(err)
			}
			for {
				n, err := f.svc.ProcessDue(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			got, err := f.svc.Get(b.Context(), j.ID)
			if err != nil || got.Counts.Created != b.N {
				b.Fatalf("%+v %+v (%v)", got.Counts, got.Errors[:min(3, len(got.Errors))], err)
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "rows/s")
		})
	}
}
