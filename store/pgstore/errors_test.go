package pgstore_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/internal/pgtest"
	"github.com/ispstack/crm/store/pgstore"
	"github.com/ispstack/crm/verify"
)

// TestForeignKeyNamesParent checks that a foreign-key violation is
// not_found naming the missing parent: each foreign key of the schema as
// migrated, and "parent record" for one the store does not know.
func TestForeignKeyNamesParent(t *testing.T) {
	ctx := context.Background()
	s, err := pgstore.Open(ctx, pgtest.DSN(t), pgstore.Options{MaxOpenConns: 2})
	if err != nil {
		t.Fatalf("pgstore.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })

	// Every foreign key of the schema names its parent, and the map names
	// no constraint the schema lacks.
	fks, err := s.StringsForTest(ctx, `SELECT conname FROM pg_constraint
		WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname`)
	if err != nil {
		t.Fatalf("list foreign keys: %v", err)
	}
	if diff := cmp.Diff(fks, slices.Sorted(maps.Keys(pgstore.ParentKinds))); diff != "" {
		t.Errorf("foreign keys of the schema vs parentKinds (-schema +map):\n%s", diff)
	}

	now := time.Now()
	c := &customer.Customer{ID: crm.NewID(), Name: "Parent", CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.CreateCustomer(ctx, c); err != nil {
		t.Fatalf("CreateCustomer: %v", err)
	}
	sub := &customer.Subscription{ID: crm.NewID(), CustomerID: c.ID, StartDate: crm.Date{Year: 2025, Month: 1, Day: 1}, Version: 1}
	if err := s.CreateSubscription(ctx, sub); err != nil {
		t.Fatalf("CreateSubscription: %v", err)
	}
	ct := &contact.Contact{ID: crm.NewID(), CustomerID: c.ID, Version: 1}
	if err := s.CreateContact(ctx, ct); err != nil {
		t.Fatalf("CreateContact: %v", err)
	}
	doc := &document.Document{ID: crm.NewID(), CustomerID: c.ID, Version: 1}
	if err := s.CreateDocument(ctx, doc); err != nil {
		t.Fatalf("CreateDocument: %v", err)
	}
	ver := &verify.Verification{ID: crm.NewID(), CustomerID: c.ID, Kind: verify.KindCredit, Status: verify.StatusCompleted, Version: 1}
	if err := s.CreateVerification(ctx, ver); err != nil {
		t.Fatalf("CreateVerification: %v", err)
	}
	job := &bulk.Job{ID: crm.NewID(), Kind: bulk.KindImport, State: bulk.StateQueued, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := s.CreateJob(ctx, job); err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
	if err := s.InsertJobErrors(ctx, job.ID, 0, []bulk.RowError{{Row: 1, Message: "bad"}}); err != nil {
		t.Fatalf("InsertJobErrors: %v", err)
	}
	if err := s.PutJobInput(ctx, job.ID, 0, []byte("a,b\n")); err != nil {
		t.Fatalf("PutJobInput: %v", err)
	}
	msg := bulk.Message{ID: crm.NewID(), JobID: job.ID, CustomerID: c.ID, Status: bulk.MessageQueued, CreatedAt: now, UpdatedAt: now, Version: 1}
	if _, err := s.InsertMessages(ctx, []bulk.Message{msg}); err != nil {
		t.Fatalf("InsertMessages: %v", err)
	}
	if err := s.ExecForTest(ctx, `CREATE TABLE widgets (
		customer_id text COLLATE "C" NOT NULL REFERENCES customers (id), id text NOT NULL)`); err != nil {
		t.Fatalf("create table: %v", err)
	}

	missing := crm.NewID()
	for _, tc := range []struct {
		name, query, id, want string
	}{
		{"services", `UPDATE services SET customer_id = $1 WHERE id = $2`, sub.ID, "customer not found"},
		{"contacts", `UPDATE contacts SET customer_id = $1 WHERE id = $2`, ct.ID, "customer not found"},
		{"documents", `UPDATE documents SET customer_id = $1 WHERE id = $2`, doc.ID, "customer not found"},
		{"verifications", `UPDATE verifications SET customer_id = $1 WHERE id = $2`, ver.ID, "customer not found"},
		{"job errors", `UPDATE job_errors SET job_id = $1 WHERE job_id = $2`, job.ID, "job not found"},
		{"job inputs", `UPDATE job_inputs SET job_id = $1 WHERE job_id = $2`, job.ID, "job not found"},
		{"job messages' job", `UPDATE job_messages SET job_id = $1 WHERE id = $2`, msg.ID, "job not found"},
		{"job messages' customer", `UPDATE job_messages SET customer_id = $1 WHERE id = $2`, msg.ID, "customer not found"},
		{"unknown", `INSERT INTO widgets (customer_id, id) VALUES ($1, $2)`, "w1", "parent record not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.ExecForTest(ctx, tc.query, missing, tc.id)
			got := struct {
				Code    crm.Code
				Message string
			}{crm.ErrorCode(err), crm.ErrorMessage(err)}
			want := struct {
				Code    crm.Code
				Message string
			}{crm.CodeNotFound, tc.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error of %v (-want +got):\n%s", err, diff)
			}
		})
	}
}
