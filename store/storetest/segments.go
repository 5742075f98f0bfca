package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/store"
)

var segmentTests = []test{
	{"CreateGetList", testSegmentsCreateGetList},
	{"UpdateAtVersion", testSegmentsUpdate},
	{"DeleteAtVersion", testSegmentsDelete},
	{"Rollback", testSegmentsRollback},
}

// newSegment returns a segment with every field set and rules of both
// kinds, in the text the rules are kept as.
func newSegment(t testing.TB, name string) *analytics.Segment {
	return &analytics.Segment{
		ID: newID(t), Name: name, Description: "Fiber customers\nwith a high \"score\".",
		Rules:   analytics.Rules{"status": "active", "min_credit_score": "650", "min_mrr": "49.99", "autopay": "true", "city": "Zürich"},
		Version: 1, CreatedAt: at(0), UpdatedAt: at(time.Second),
	}
}

func testSegmentsCreateGetList(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	a, b, c := newSegment(t, "A"), newSegment(t, "B"), newSegment(t, "C")
	c.Rules = analytics.Rules{}
	for _, seg := range []*analytics.Segment{a, b, c} {
		ok(t, "CreateSegment", s.CreateSegment(ctx, seg))
	}
	dup := newSegment(t, "dup")
	dup.ID = a.ID
	wantCode(t, "CreateSegment with a taken id", s.CreateSegment(ctx, dup), crm.CodeConflict)

	got, err := s.GetSegment(ctx, a.ID)
	ok(t, "GetSegment", err)
	check(t, "segment", a, got)
	got, err = s.LockSegment(ctx, c.ID)
	ok(t, "LockSegment", err)
	check(t, "segment without rules", c, got)
	_, err = s.GetSegment(ctx, newID(t))
	wantCode(t, "GetSegment of an unknown id", err, crm.CodeNotFound)
	_, err = s.LockSegment(ctx, newID(t))
	wantCode(t, "LockSegment of an unknown id", err, crm.CodeNotFound)

	all, err := s.ListSegments(ctx, "", 0)
	ok(t, "ListSegments", err)
	if len(all) != 3 {
		t.Fatalf("ListSegments returned %d segments, want 3", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i-1].ID >= all[i].ID {
			t.Errorf("segments not ordered by id: %s before %s", all[i-1].ID, all[i].ID)
		}
	}
	page, err := s.ListSegments(ctx, all[0].ID, 1)
	ok(t, "ListSegments after the first", err)
	check(t, "second page", all[1:2], page)
}

func testSegmentsUpdate(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	seg := newSegment(t, "A")
	ok(t, "CreateSegment", s.CreateSegment(ctx, seg))
	next := *seg
	next.Name, next.Rules, next.Version, next.UpdatedAt = "A2", analytics.Rules{"churn_level": "high"}, 2, at(time.Minute)
	ok(t, "UpdateSegment", s.UpdateSegment(ctx, &next))
	got, err := s.GetSegment(ctx, seg.ID)
	ok(t, "GetSegment", err)
	check(t, "updated segment", &next, got)

	stale := next
	stale.Version = 2 // over version 1, which is gone
	wantCode(t, "UpdateSegment over a stale version", s.UpdateSegment(ctx, &stale), crm.CodePreconditionFailed)
	missing := newSegment(t, "missing")
	missing.Version = 2
	wantCode(t, "UpdateSegment of an unknown id", s.UpdateSegment(ctx, missing), crm.CodeNotFound)
	got, err = s.GetSegment(ctx, seg.ID)
	ok(t, "GetSegment", err)
	check(t, "segment after refused updates", &next, got)
}

func testSegmentsDelete(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	ctx := t.Context()
	seg := newSegment(t, "A")
	ok(t, "CreateSegment", s.CreateSegment(ctx, seg))
	wantCode(t, "DeleteSegment at a stale version", s.DeleteSegment(ctx, seg.ID, 2), crm.CodePreconditionFailed)
	ok(t, "DeleteSegment", s.DeleteSegment(ctx, seg.ID, 1))
	_, err := s.GetSegment(ctx, seg.ID)
	wantCode(t, "GetSegment after delete", err, crm.CodeNotFound)
	wantCode(t, "DeleteSegment again", s.DeleteSegment(ctx, seg.ID, 1), crm.CodeNotFound)
}

func testSegmentsRollback(t *testing.T, newStore newStoreFunc) {
	s := newStore(t)
	kept := newSegment(t, "kept")
	ok(t, "CreateSegment", s.CreateSegment(t.Context(), kept))
	err := s.RunInTx(t.Context(), func(ctx context.Context, tx store.Store) error {
		ok(t, "CreateSegment", tx.CreateSegment(ctx, newSegment(t, "gone")))
		next := *kept
		next.Name, next.Version = "renamed", 2
		ok(t, "UpdateSegment", tx.UpdateSegment(ctx, &next))
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("RunInTx = %v, want fn's error", err)
	}
	all, err := s.ListSegments(t.Context(), "", 0)
	ok(t, "ListSegments", err)
	check(t, "segments after rollback", []analytics.Segment{*kept}, all)
}
