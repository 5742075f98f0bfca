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

var documentTests = []test{
	{"RoundTrip", testDocumentRoundTrip},
	{"NotFound", testDocumentNotFound},
	{"Create", testCreateDocumentErrors},
	{"Update", testUpdateDocument},
	{"List", testListDocuments},
	{"Filters", testDocumentFilters},
	{"PendingScans", testPendingScans},
	{"ExistingObjectKeys", testExistingObjectKeys},
	{"Rollback", testDocumentRollback},
	{"Aliasing", testDocumentAliasing},
}

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
	got, err := s.GetDocument(t.Context(), customerID, id)
	ok(t, "GetDocument", err)
	return got
}

// createDocs stores documents, failing the test on any error.
func createDocs(t *testing.T, s store.Store, ds ...*document.Document) {
	t.Helper()
	for _, d := range ds {
		ok(t, "CreateDocument", s.CreateDocument(t.Context(), d))
	}
}

// Every field survives the round trip, including an absent expiration date
// and no tags (which come back as an empty list, never null).
func testDocumentRoundTrip(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	c := newCustomer(t, "Owner")
	create(t, s, c)
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

func testDocumentNotFound(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	d := newDocument(t, a.ID)
	createDocs(t, s, d)
	for _, tc := range []struct{ name, customerID, id string }{
		{"missing", a.ID, newID(t)},
		{"other customer's", b.ID, d.ID},
		{"unknown customer", newID(t), d.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.GetDocument(t.Context(), tc.customerID, tc.id)
			wantCode(t, "GetDocument", err, crm.CodeNotFound)
		})
	}
}

func testCreateDocumentErrors(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	c := newCustomer(t, "Owner")
	create(t, s, c)
	d := newDocument(t, c.ID)
	createDocs(t, s, d)
	dup := *d
	dup.Name = "Duplicate"
	wantCode(t, "CreateDocument with a used id", s.CreateDocument(t.Context(), &dup), crm.CodeConflict)
	check(t, "document after duplicate", d, getDoc(t, s, c.ID, d.ID))
	orphan := newDocument(t, newID(t))
	wantCode(t, "CreateDocument of an unknown customer", s.CreateDocument(t.Context(), orphan), crm.CodeNotFound)
}

func testUpdateDocument(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	d := newDocument(t, a.ID)
	createDocs(t, s, d)

	u := *d
	u.Name, u.Type, u.ExpirationDate, u.IsActive = "Renamed", document.TypeAgreement, nil, false
	u.SignatureStatus, u.Tags, u.ScanStatus = document.SignatureSigned, []string{"x"}, document.ScanInfected
	u.Version, u.UpdatedAt = 2, at(time.Hour)
	ok(t, "UpdateDocument", s.UpdateDocument(ctx, &u))
	check(t, "GetDocument after update", &u, getDoc(t, s, a.ID, d.ID))

	for _, tc := range []struct {
		name   string
		change func(v *document.Document)
		code   crm.Code
	}{
		{"stale version", func(v *document.Document) { v.Version = 2 }, crm.CodePreconditionFailed},
		{"version skipped ahead", func(v *document.Document) { v.Version = 4 }, crm.CodePreconditionFailed},
		{"missing", func(v *document.Document) { v.ID = newID(t) }, crm.CodeNotFound},
		{"other customer's", func(v *document.Document) { v.CustomerID = b.ID }, crm.CodeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := u
			v.Version++
			v.Name = "Changed"
			tc.change(&v)
			wantCode(t, "UpdateDocument", s.UpdateDocument(ctx, &v), tc.code)
			check(t, "GetDocument after failed update", &u, getDoc(t, s, a.ID, d.ID))
		})
	}
}

// Lists are by id, only the customer's own, and page without skipping or
// repeating.
func testListDocuments(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
	ids := newIDs(t, 7)
	var want []document.Document
	for i, j := range []int{3, 0, 6, 1, 4, 2, 5} {
		owner := a.ID
		if i%3 == 2 {
			owner = b.ID
		}
		d := newDocument(t, owner)
		d.ID = ids[j]
		createDocs(t, s, d)
		if owner == a.ID {
			want = append(want, *d)
		}
	}
	slices.SortFunc(want, func(x, y document.Document) int { return strings.Compare(x.ID, y.ID) })

	all, err := s.ListDocuments(ctx, a.ID, document.Filter{})
	ok(t, "ListDocuments", err)
	check(t, "ListDocuments", want, all)
	for _, limit := range []int{1, 2, 4} {
		var got []document.Document
		after := ""
		for range 100 {
			rows, err := s.ListDocuments(ctx, a.ID, document.Filter{After: after, Limit: limit})
			ok(t, "ListDocuments", err)
			got = append(got, rows...)
			if len(rows) < limit {
				break
			}
			after = rows[len(rows)-1].ID
		}
		check(t, "ListDocuments pages", want, got)
	}
	none, err := s.ListDocuments(ctx, newID(t), document.Filter{Limit: 10})
	ok(t, "ListDocuments of unknown customer", err)
	check(t, "ListDocuments of unknown customer", []document.Document(nil), none)
}

// The filters combine: type, active only, and an expiration strictly
// before a date (documents without one never match it).
func testDocumentFilters(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Owner")
	create(t, s, c)
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
			slices.SortFunc(want, func(x, y document.Document) int { return strings.Compare(x.ID, y.ID) })
			check(t, "ListDocuments", want, got)
		})
	}
}

func testPendingScans(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b := newCustomer(t, "A"), newCustomer(t, "B")
	create(t, s, a, b)
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
	s := newStore(t)
	c := newCustomer(t, "Owner")
	create(t, s, c)
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

// Document writes roll back with their transaction.
func testDocumentRollback(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Owner")
	create(t, s, c)
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

// Neither the values passed in nor those read out share memory with the
// store.
func testDocumentAliasing(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	c := newCustomer(t, "Owner")
	create(t, s, c)
	in := newDocument(t, c.ID)
	want := *in
	want.Tags = slices.Clone(in.Tags)
	want.ExpirationDate = ptr(*in.ExpirationDate)
	scribbleDoc := func(d *document.Document) {
		d.Tags[0] = "scribbled"
		d.ExpirationDate.Year = 1999
	}
	createDocs(t, s, in)
	scribbleDoc(in)
	check(t, "after changing the value passed in", &want, getDoc(t, s, c.ID, want.ID))

	got := getDoc(t, s, c.ID, want.ID)
	scribbleDoc(got)
	rows, err := s.ListDocuments(ctx, c.ID, document.Filter{})
	ok(t, "ListDocuments", err)
	check(t, "after changing a value read", []document.Document{want}, rows)
	scribbleDoc(&rows[0])

	u := want
	u.Tags, u.ExpirationDate = slices.Clone(want.Tags), ptr(*want.ExpirationDate)
	u.Version = 2
	ok(t, "UpdateDocument", s.UpdateDocument(ctx, &u))
	wantU := u
	wantU.Tags, wantU.ExpirationDate = slices.Clone(u.Tags), ptr(*u.ExpirationDate)
	scribbleDoc(&u)
	check(t, "after changing the value updated", &wantU, getDoc(t, s, c.ID, want.ID))
}
