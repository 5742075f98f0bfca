package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/document"
	"github.com/ispstack/crm/store"
)

// documents is the document to the cases every customer's record shares.
var documents = child[document.Document]{
	name: "Document",
	new:  newDocument,
	vary: func(v *document.Document, i int) {
		v.Type, v.IsActive = document.Types[i%len(document.Types)], i%2 == 0
	},
	change: func(v *document.Document) {
		v.Name, v.Type, v.ExpirationDate, v.IsActive = "Renamed", document.TypeAgreement, nil, false
		v.SignatureStatus, v.Tags, v.ScanStatus = document.SignatureSigned, []string{"x"}, document.ScanInfected
		v.RequiresSignature, v.UpdatedAt = false, at(time.Hour)
	},
	scribble: func(v *document.Document) {
		v.Tags[0] = "scribbled"
		v.ExpirationDate.Year = 1999
	},
	key:    func(v *document.Document) (*string, *string, *int64) { return &v.ID, &v.CustomerID, &v.Version },
	create: store.Store.CreateDocument,
	get:    store.Store.GetDocument,
	update: store.Store.UpdateDocument,
	list: func(s store.Store, ctx context.Context, customerID, afterID string, limit int) ([]document.Document, error) {
		return s.ListDocuments(ctx, customerID, document.Filter{After: afterID, Limit: limit})
	},
}

var documentTests = append(documents.tests(),
	test{"RoundTrip", testDocumentRoundTrip},
	test{"Filters", testDocumentFilters},
	test{"PendingScans", testPendingScans},
	test{"ExistingObjectKeys", testExistingObjectKeys},
	test{"Rollback", testDocumentRollback},
)

// newDocument returns an active document of the customer with every field
// set.
func newDocument(t testing.TB, customerID string) *document.Document {
	id := newID(t)
	return &document.Document{
		ID: id, CustomerID: customerID, Name: "Service contract 2025", Type: document.TypeContract,
		FileSize: 12345, MimeType: "application/pdf", SHA256: strings.Repeat("ab", 32),
		UploadDate: base, UploadedBy: "key_0123456789ab",
		ExpirationDate: &crm.Date{Year: 2027, Month: time.June, Day: 30},
		IsActive:       true, RequiresSignature: true, SignatureStatus: document.SignaturePending,
		Tags: []string{"signed-copy", "Ünïcode tag"}, ScanStatus: document.ScanClean,
		ObjectKey: "customers/" + customerID + "/" + id, Version: 1, UpdatedAt: base,
	}
}

// getDoc reads a document, failing the test on error.
func getDoc(t *testing.T, s store.Store, customerID, id string) *document.Document {
	t.Helper()
	return documents.mustGet(t, s, customerID, id)
}

// createDocs stores documents, failing the test on any error.
func createDocs(t *testing.T, s store.Store, ds ...*document.Document) {
	t.Helper()
	documents.mustCreate(t, s, ds...)
}

// Every field survives the round trip, including an absent expiration date
// and no tags (which come back as an empty list, never null).
func testDocumentRoundTrip(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	full := newDocument(t, c.ID)
	bare := newDocument(t, c.ID)
	bare.ExpirationDate, bare.Tags, bare.RequiresSignature = nil, nil, false
	bare.SignatureStatus, bare.ScanStatus, bare.IsActive = document.SignatureNotRequired, document.ScanNotScanned, false
	createDocs(t, s, full, bare)
	check(t, "full document", full, getDoc(t, s, c.ID, full.ID))
	got := getDoc(t, s, c.ID, bare.ID)
	check(t, "bare document", bare, got)
	if got.Tags == nil {
		t.Error("tags of an untagged document came back nil, want an empty list")
	}
}

// The filters combine: type, active only, and an expiration strictly
// before a date (documents without one never match it).
func testDocumentFilters(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	mk := func(typ document.Type, active bool, expires *crm.Date) *document.Document {
		d := newDocument(t, c.ID)
		d.Type, d.IsActive, d.ExpirationDate = typ, active, expires
		return d
	}
	june := &crm.Date{Year: 2026, Month: time.June, Day: 1}
	july := &crm.Date{Year: 2026, Month: time.July, Day: 1}
	contractJune := mk(document.TypeContract, true, june)
	contractJulyInactive := mk(document.TypeContract, false, july)
	agreementNever := mk(document.TypeAgreement, true, nil)
	specsJuly := mk(document.TypeTechnicalSpecs, true, july)
	createDocs(t, s, contractJune, contractJulyInactive, agreementNever, specsJuly)

	for _, tc := range []struct {
		name string
		f    document.Filter
		want []*document.Document
	}{
		{"none", document.Filter{}, []*document.Document{contractJune, contractJulyInactive, agreementNever, specsJuly}},
		{"type", document.Filter{Type: document.TypeContract}, []*document.Document{contractJune, contractJulyInactive}},
		{"active only", document.Filter{ActiveOnly: true}, []*document.Document{contractJune, agreementNever, specsJuly}},
		{"type and active", document.Filter{Type: document.TypeContract, ActiveOnly: true}, []*document.Document{contractJune}},
		{"expiring before july", document.Filter{ExpiringBefore: july}, []*document.Document{contractJune}},
		{"expiring before august", document.Filter{ExpiringBefore: &crm.Date{Year: 2026, Month: time.August, Day: 1}},
			[]*document.Document{contractJune, contractJulyInactive, specsJuly}},
		{"expiring before june", document.Filter{ExpiringBefore: june}, nil},
		{"all three", document.Filter{Type: document.TypeTechnicalSpecs, ActiveOnly: true, ExpiringBefore: &crm.Date{Year: 2027, Month: time.January, Day: 1}},
			[]*document.Document{specsJuly}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.ListDocuments(ctx, c.ID, tc.f)
			ok(t, "ListDocuments", err)
			var want []document.Document
			for _, d := range tc.want {
				want = append(want, *d)
			}
			check(t, "ListDocuments", documents.sorted(want), got)
		})
	}
}

func testPendingScans(t *testing.T, newStore newStoreFunc) {
	s, a, b := twoCustomers(t, newStore)
	ctx := t.Context()
	var want []document.Document
	for i, owner := range []string{a.ID, b.ID, a.ID, b.ID, a.ID} {
		d := newDocument(t, owner)
		if i != 2 {
			d.ScanStatus = document.ScanPending
			want = append(want, *d)
		}
		createDocs(t, s, d)
	}
	got, err := s.PendingScans(ctx, "", 10)
	ok(t, "PendingScans", err)
	check(t, "PendingScans", want, got)
	got, err = s.PendingScans(ctx, want[1].ID, 2)
	ok(t, "PendingScans after the second", err)
	check(t, "PendingScans after the second", want[2:4], got)
}

func testExistingObjectKeys(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	active, inactive := newDocument(t, c.ID), newDocument(t, c.ID)
	inactive.IsActive = false
	createDocs(t, s, active, inactive)
	orphan := "customers/" + c.ID + "/" + newID(t)
	got, err := s.ExistingObjectKeys(t.Context(), []string{orphan, inactive.ObjectKey, active.ObjectKey})
	ok(t, "ExistingObjectKeys", err)
	slices.Sort(got)
	want := []string{active.ObjectKey, inactive.ObjectKey}
	slices.Sort(want)
	check(t, "ExistingObjectKeys", want, got)
	got, err = s.ExistingObjectKeys(t.Context(), []string{orphan})
	ok(t, "ExistingObjectKeys of an orphan", err)
	check(t, "ExistingObjectKeys of an orphan", []string(nil), got)
}

func testDocumentRollback(t *testing.T, newStore newStoreFunc) {
	s, c := oneCustomer(t, newStore)
	ctx := t.Context()
	kept := newDocument(t, c.ID)
	createDocs(t, s, kept)
	added := newDocument(t, c.ID)
	boom := errors.New("boom")
	err := s.RunInTx(ctx, func(ctx context.Context, tx store.Store) error {
		ok(t, "CreateDocument in tx", tx.CreateDocument(ctx, added))
		u := *kept
		u.Name, u.Version = "Changed", 2
		ok(t, "UpdateDocument in tx", tx.UpdateDocument(ctx, &u))
		closed := *c
		closed.Version, closed.DeletedAt = 2, ptr(at(time.Hour))
		ok(t, "UpdateCustomer (close) in tx", tx.UpdateCustomer(ctx, &closed))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("RunInTx = %v, want boom", err)
	}
	check(t, "kept document after rollback", kept, getDoc(t, s, c.ID, kept.ID))
	_, err = s.GetDocument(ctx, c.ID, added.ID)
	wantCode(t, "GetDocument of a rolled-back document", err, crm.CodeNotFound)
}
