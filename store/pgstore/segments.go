package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ispstack/crm/analytics"
)

// Segments are a table of their own, not below a customer. Their writes
// are single statements that change nothing, rather than fail and abort
// the caller's transaction, when the segment cannot be written; a change
// of nothing is then explained by a second read. rules is stored as the
// plain JSON object of its texts.

const (
	segmentColumns   = `id, name, description, rules, version, created_at, updated_at`
	insertSegmentSQL = `INSERT INTO segments (` + segmentColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT DO NOTHING`
	getSegmentSQL    = `SELECT ` + segmentColumns + ` FROM segments WHERE id = $1`
	lockSegmentSQL   = getSegmentSQL + ` FOR UPDATE`
	updateSegmentSQL = `UPDATE segments SET name = $2, description = $3, rules = $4, version = $5::bigint,
		created_at = $6, updated_at = $7 WHERE id = $1 AND version = $5::bigint - 1`
	deleteSegmentSQL  = `DELETE FROM segments WHERE id = $1 AND version = $2`
	segmentVersionSQL = `SELECT version FROM segments WHERE id = $1`
	listSegmentsSQL   = `SELECT ` + segmentColumns + ` FROM segments WHERE id > $1 ORDER BY id LIMIT $2`
)

// CreateSegment inserts seg; conflict when its id exists.
func (s *Store) CreateSegment(ctx context.Context, seg *analytics.Segment) error {
	r, err := segmentToRow(seg)
	if err != nil {
		return err
	}
	h := s.use(ctx)
	defer h.release()
	n, err := s.execCount(ctx, h, "create segment", insertSegmentSQL, r.values()...)
	if err == nil && n == 0 {
		err = conflictError(nil, "segment "+seg.ID)
	}
	return err
}

// GetSegment returns the segment; not_found when absent.
func (s *Store) GetSegment(ctx context.Context, id string) (*analytics.Segment, error) {
	return getRecord[analytics.Segment, segmentRow](ctx, s, "segment", getSegmentSQL, id)
}

// LockSegment is GetSegment holding the row (FOR UPDATE) until the
// enclosing transaction ends.
func (s *Store) LockSegment(ctx context.Context, id string) (*analytics.Segment, error) {
	return getRecord[analytics.Segment, segmentRow](ctx, s, "segment", lockSegmentSQL, id)
}

// UpdateSegment stores seg over the row at seg.Version-1; not_found when
// absent, precondition_failed when at another version.
func (s *Store) UpdateSegment(ctx context.Context, seg *analytics.Segment) error {
	r, err := segmentToRow(seg)
	if err != nil {
		return err
	}
	return s.writeSegment(ctx, "update", seg.ID, seg.Version-1, updateSegmentSQL, r.values()...)
}

// DeleteSegment removes the segment if it is at version; not_found when
// absent, precondition_failed when at another version.
func (s *Store) DeleteSegment(ctx context.Context, id string, version int64) error {
	return s.writeSegment(ctx, "delete", id, version, deleteSegmentSQL, id, version)
}

// ListSegments returns up to limit (all when limit <= 0) segments ordered
// by id, strictly after afterID.
func (s *Store) ListSegments(ctx context.Context, afterID string, limit int) ([]analytics.Segment, error) {
	return listRecords[analytics.Segment, segmentRow](ctx, s, "list segments", listSegmentsSQL, afterID, limitArg(limit))
}

// writeSegment runs query, a write of segment id at version want.
func (s *Store) writeSegment(ctx context.Context, verb, id string, want int64, query string, args ...any) error {
	return s.writeVersioned(ctx, verb+" segment", versioned{what: "segment", id: id, want: want,
		versionSQL: segmentVersionSQL, versionArgs: []any{id}}, query, args...)
}

// segmentRow is one row of the segments table.
type segmentRow struct {
	ID, Name, Description string
	Rules                 []byte
	Version               int64
	CreatedAt, UpdatedAt  time.Time
}

// dest returns scan destinations in segmentColumns order.
func (r *segmentRow) dest() []any {
	return []any{&r.ID, &r.Name, &r.Description, &r.Rules, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

// values returns query arguments in segmentColumns order.
func (r *segmentRow) values() []any {
	return []any{r.ID, r.Name, r.Description, string(r.Rules), r.Version, r.CreatedAt, r.UpdatedAt}
}

// segmentToRow converts seg for writing; its rules as an object of texts
// (map[string]string, not Rules, whose JSON is typed for the API).
func segmentToRow(seg *analytics.Segment) (*segmentRow, error) {
	rules := map[string]string(seg.Rules)
	if rules == nil {
		rules = map[string]string{}
	}
	raw, err := json.Marshal(rules)
	if err != nil {
		return nil, fmt.Errorf("pgstore: encode rules of segment %s: %w", seg.ID, err)
	}
	return &segmentRow{ID: seg.ID, Name: seg.Name, Description: seg.Description, Rules: raw,
		Version: seg.Version, CreatedAt: ts(seg.CreatedAt), UpdatedAt: ts(seg.UpdatedAt)}, nil
}

// decode converts a scanned row.
func (r *segmentRow) decode() (*analytics.Segment, error) {
	var rules map[string]string
	if err := json.Unmarshal(r.Rules, &rules); err != nil {
		return nil, fmt.Errorf("pgstore: decode rules of segment %s: %w", r.ID, err)
	}
	if rules == nil {
		rules = map[string]string{}
	}
	return &analytics.Segment{ID: r.ID, Name: r.Name, Description: r.Description, Rules: rules,
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}, nil
}
