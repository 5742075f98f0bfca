package memstore

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// CreateSegment stores a copy of seg; conflict when its id exists.
func (s *Store) CreateSegment(ctx context.Context, seg *analytics.Segment) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		if _, ok := db.segments[seg.ID]; ok {
			return crm.Errorf(crm.CodeConflict, "segment %s already exists", seg.ID)
		}
		set(tx, db.segments, seg.ID, cloneSegment(seg))
		return nil
	})
}

// GetSegment returns a copy of the segment; not_found when absent.
func (s *Store) GetSegment(ctx context.Context, id string) (*analytics.Segment, error) {
	var out *analytics.Segment
	err := s.read(ctx, func(db *database) error {
		seg, ok := db.segments[id]
		if !ok {
			return crm.NotFound("segment")
		}
		out = cloneSegment(seg)
		return nil
	})
	return out, err
}

// LockSegment is GetSegment: transactions run one at a time, so what a
// transaction read stays as it is until it ends.
func (s *Store) LockSegment(ctx context.Context, id string) (*analytics.Segment, error) {
	return s.GetSegment(ctx, id)
}

// UpdateSegment stores a copy of seg over the segment at seg.Version-1;
// not_found when absent, precondition_failed when at another version.
func (s *Store) UpdateSegment(ctx context.Context, seg *analytics.Segment) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		if err := segmentAt(db, seg.ID, seg.Version-1); err != nil {
			return err
		}
		set(tx, db.segments, seg.ID, cloneSegment(seg))
		return nil
	})
}

// DeleteSegment removes the segment if it is at version; not_found when
// absent, precondition_failed when at another version.
func (s *Store) DeleteSegment(ctx context.Context, id string, version int64) error {
	return s.write(ctx, func(db *database, tx *txn) error {
		if err := segmentAt(db, id, version); err != nil {
			return err
		}
		del(tx, db.segments, id)
		return nil
	})
}

// ListSegments returns copies of up to limit (all when limit <= 0)
// segments ordered by id, strictly after afterID.
func (s *Store) ListSegments(ctx context.Context, afterID string, limit int) ([]analytics.Segment, error) {
	var out []analytics.Segment
	err := s.read(ctx, func(db *database) error {
		var rows []*analytics.Segment
		for id, seg := range db.segments {
			if id > afterID {
				rows = append(rows, seg)
			}
		}
		slices.SortFunc(rows, func(a, b *analytics.Segment) int { return strings.Compare(a.ID, b.ID) })
		out = values(rows[:limitOf(limit, len(rows))], cloneSegment)
		return nil
	})
	return out, err
}

// segmentAt checks that segment id is stored at version.
func segmentAt(db *database, id string, version int64) error {
	seg, ok := db.segments[id]
	if !ok {
		return crm.NotFound("segment")
	}
	return crm.CheckVersion("segment", seg.Version, version)
}

// cloneSegment deep-copies seg as stored: times as Postgres keeps them, no
// member count (it is counted on read, never stored), empty rules for
// none.
func cloneSegment(seg *analytics.Segment) *analytics.Segment {
	v := *seg
	v.Rules = maps.Clone(seg.Rules)
	if v.Rules == nil {
		v.Rules = analytics.Rules{}
	}
	v.MemberCount = nil
	v.CreatedAt, v.UpdatedAt = normTime(seg.CreatedAt), normTime(seg.UpdatedAt)
	return &v
}
