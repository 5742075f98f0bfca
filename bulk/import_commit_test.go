package bulk_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/internal/teststore"
	"github.com/ispstack/crm/store"
)

// TestImportBeforeCommit checks ImportRequest.BeforeCommit: it sees the
// job about to be committed and the body's SHA-256, its writes through
// ctx join the submitting transaction, and its error rolls the whole
// submission back (no job, no input, none of its own writes).
func TestImportBeforeCommit(t *testing.T) {
	teststore.Run(t, func(t *testing.T, st store.Store) {
		f := newJobFixture(t, st)
		body := csvHeader + csvRow(1, "a@example.com") + csvRow(2, "b@example.com")
		refused := errors.New("refused")
		for _, tt := range []struct {
			name string
			err  error
		}{{"accepted", nil}, {"refused", refused}} {
			t.Run(tt.name, func(t *testing.T) {
				var seen *bulk.Job
				var sum []byte
				rec := &crm.IdempotencyRecord{Scope: "key-admin", Key: "k-" + tt.name, RequestHash: "h", ClaimID: crm.NewID(), CreatedAt: start}
				req := bulk.ImportRequest{Mode: bulk.ImportCreate, Format: bulk.FormatCSV,
					BeforeCommit: func(ctx context.Context, j *bulk.Job, bodySHA256 []byte) error {
						seen, sum = j, bodySHA256
						if prev, err := st.ClaimIdempotencyKey(ctx, rec, start); err != nil || prev != nil {
							t.Fatalf("claim: %v %v", prev, err)
						}
						return tt.err
					}}
				j, err := f.svc.SubmitImport(ctx(t), req, strings.NewReader(body))
				if !errors.Is(err, tt.err) {
					t.Fatalf("SubmitImport: %v, want %v", err, tt.err)
				}
				want := sha256.Sum256([]byte(body))
				if diff := cmp.Diff(want[:], sum); diff != "" {
					t.Errorf("digest (-want +got):\n%s", diff)
				}
				if seen == nil || seen.State != bulk.StateQueued || seen.Progress.Total != 2 {
					t.Fatalf("BeforeCommit saw %+v", seen)
				}
				// The claim is the submission's: committed with it or
				// rolled back with it.
				prev, err := st.ClaimIdempotencyKey(t.Context(), &crm.IdempotencyRecord{Scope: rec.Scope, Key: rec.Key, RequestHash: "h",
					ClaimID: crm.NewID(), CreatedAt: start}, start)
				if err != nil || (prev != nil) != (tt.err == nil) {
					t.Errorf("the claim after the submission: %+v, %v", prev, err)
				}
				_, getErr := f.svc.Get(ctx(t), seen.ID)
				_, inputErr := st.GetJobInput(t.Context(), seen.ID, 0)
				if tt.err == nil {
					if getErr != nil || inputErr != nil || j.ID != seen.ID {
						t.Errorf("an accepted submission: job %v, input %v", getErr, inputErr)
					}
					return
				}
				if crm.ErrorCode(getErr) != crm.CodeNotFound || crm.ErrorCode(inputErr) != crm.CodeNotFound {
					t.Errorf("a refused submission left its job (%v) or input (%v)", getErr, inputErr)
				}
			})
		}
	})
}
