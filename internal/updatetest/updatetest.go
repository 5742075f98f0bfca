// Package updatetest checks the contract every Update method of a domain
// service keeps, whatever record it changes: a stale version is refused
// with precondition_failed before the edit runs; the edit's own error is
// returned as is; an invalid result is refused naming the field; a no-op
// edit writes nothing; a change bumps the version and writes one audit
// entry; and edits without a version condition, racing, all apply.
//
// A test declares its record kind as a Target and its cases, and calls
// Run; the checks that only one kind has stay in its own test.
package updatetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
)

// Edits is how many edits without a version condition race in the
// concurrency check.
const Edits = 50

// AuditLister lists a customer's audit entries (a store.Store is one).
type AuditLister interface {
	ListAudit(ctx context.Context, customerID, beforeID string, limit int) ([]crm.AuditEntry, error)
}

// Target is the record kind an Update method changes: R is the record as
// read back, In what an edit changes.
type Target[In, R any] struct {
	// Audit holds the audit trail the updates write to.
	Audit AuditLister
	// Create stores a record at version 2 and returns its customer's id
	// and its own.
	Create func(t *testing.T) (customerID, id string)
	// Get reads a record back.
	Get func(ctx context.Context, customerID, id string) (R, error)
	// Update is the method under test.
	Update func(ctx context.Context, customerID, id string, ifVersion int64, edit func(*In) error) (R, error)
	// Version is a record's version.
	Version func(R) int64
	// Race returns the i-th of the Edits edits that race without a version
	// condition; each must see the result of the ones applied before it.
	Race func(i int) func(*In) error
	// Raced fails t for every raced edit that is missing from after, the
	// record once all have applied; before is the record they started on.
	Raced func(t *testing.T, before, after R)
}

// Case is one call of the Update method on a fresh record at version 2.
type Case[In any] struct {
	Name string
	// Prepare, when set, changes the record before the call (such as
	// deactivating it); the record is read back after it.
	Prepare   func(t *testing.T, customerID, id string)
	IfVersion int64 // 2 is current, 1 stale, 0 no condition
	Edit      func(*In) error
	WantErr   error    // returned as is, when set
	WantCode  crm.Code // when set; precondition_failed and conflict refuse before the edit runs
	WantField string   // named by an invalid error
	Written   bool     // a new version and one audit entry
}

// Run runs each case as a subtest on a fresh record of target, checking
// the result and that a failed or no-op update leaves the record and the
// audit trail as they were; then it runs the subtest "concurrent without
// condition", in which target.Race's edits race and must all apply.
func Run[In, R any](t *testing.T, target Target[In, R], cases []Case[In]) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) { runCase(t, target, tc) })
	}
	t.Run("concurrent without condition", func(t *testing.T) { runRace(t, target) })
}

func runCase[In, R any](t *testing.T, target Target[In, R], tc Case[In]) {
	ctx := t.Context()
	customerID, id := target.Create(t)
	if tc.Prepare != nil {
		tc.Prepare(t, customerID, id)
	}
	before, err := target.Get(ctx, customerID, id)
	if err != nil {
		t.Fatal(err)
	}
	audits := countAudit(t, target.Audit, customerID)
	called := false
	got, err := target.Update(ctx, customerID, id, tc.IfVersion, func(in *In) error {
		called = true
		return tc.Edit(in)
	})
	switch {
	case tc.WantErr != nil:
		if err != tc.WantErr {
			t.Fatalf("error = %v, want %v as is", err, tc.WantErr)
		}
	case tc.WantCode != "":
		if crm.ErrorCode(err) != tc.WantCode {
			t.Fatalf("error = %v, want code %s", err, tc.WantCode)
		}
	case err != nil:
		t.Fatal(err)
	}
	if tc.WantField != "" && !namesField(err, tc.WantField) {
		t.Errorf("error %v does not name %s", err, tc.WantField)
	}
	wantCalled := tc.WantCode != crm.CodePreconditionFailed && tc.WantCode != crm.CodeConflict
	if called != wantCalled {
		t.Errorf("edit called = %v, want %v", called, wantCalled)
	}
	after, err2 := target.Get(ctx, customerID, id)
	if err2 != nil {
		t.Fatal(err2)
	}
	wantAudits, wantVersion := audits, target.Version(before)
	if tc.Written {
		wantAudits, wantVersion = audits+1, wantVersion+1
	} else if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("stored record changed (-before +after):\n%s", diff)
	}
	if v := target.Version(after); v != wantVersion {
		t.Errorf("version = %d, want %d", v, wantVersion)
	}
	if n := countAudit(t, target.Audit, customerID); n != wantAudits {
		t.Errorf("audit entries = %d, want %d", n, wantAudits)
	}
	if err == nil {
		if diff := cmp.Diff(after, got); diff != "" {
			t.Errorf("returned record differs from the stored one (-stored +returned):\n%s", diff)
		}
	}
}

// runRace races target.Race's edits without a version condition on a
// fresh record: every one must succeed, the version must rise by Edits,
// and target.Raced must find none lost.
func runRace[In, R any](t *testing.T, target Target[In, R]) {
	ctx := t.Context()
	customerID, id := target.Create(t)
	before, err := target.Get(ctx, customerID, id)
	if err != nil {
		t.Fatal(err)
	}
	errs := make([]error, Edits)
	var wg sync.WaitGroup
	for i := range Edits {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = target.Update(ctx, customerID, id, 0, target.Race(i))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	after, err := target.Get(ctx, customerID, id)
	if err != nil {
		t.Fatal(err)
	}
	if v, want := target.Version(after), target.Version(before)+Edits; v != want {
		t.Errorf("version = %d, want %d", v, want)
	}
	target.Raced(t, before, after)
}

// countAudit counts the customer's audit entries.
func countAudit(t *testing.T, a AuditLister, customerID string) int {
	t.Helper()
	entries, err := a.ListAudit(t.Context(), customerID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// namesField reports whether err names field among its field errors.
func namesField(err error, field string) bool {
	for _, fe := range crm.ErrorFields(err) {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// Mark is the text the i-th raced edit appends to a free-text field.
func Mark(i int) string { return fmt.Sprintf("<%d>", i) }

// CheckMarks fails t for each raced edit whose Mark is missing from text.
func CheckMarks(t *testing.T, text string) {
	t.Helper()
	for i := range Edits {
		if !strings.Contains(text, Mark(i)) {
			t.Errorf("%q lost edit %d", text, i)
		}
	}
}
