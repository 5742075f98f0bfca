package analytics

import (
	"context"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// Segment is a saved customer list query: its members are the customers
// that meet its Rules now, so they are always current.
type Segment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Rules       Rules  `json:"rules"`
	// MemberCount is the number of its members when the Service read it
	// (nil when it was not counted, and as stored).
	MemberCount *int      `json:"member_count,omitempty"`
	Version     int64     `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// SegmentInput is the writable part of a Segment.
type SegmentInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Rules       Rules  `json:"rules"`
}

// Bounds of a segment's text, in characters.
const (
	maxSegmentName        = 100
	maxSegmentDescription = 1000
)

// segmentEntity names segments in the audit trail.
const segmentEntity = "segments"

// SegmentInputOf returns the writable fields of s.
func SegmentInputOf(s *Segment) SegmentInput {
	return SegmentInput{Name: s.Name, Description: s.Description, Rules: maps.Clone(s.Rules)}
}

// normalizeSegment validates in: name 1–100 characters, description up to
// 1,000 (several lines allowed), rules as ParseRules reads them. It
// returns in trimmed, with empty rules for none. Errors: invalid, naming
// each bad field ("rules.<key>" for a rule).
func normalizeSegment(in SegmentInput) (SegmentInput, error) {
	var p crm.Problems
	in.Name = valid.Text(&p, "name", in.Name, 1, maxSegmentName)
	in.Description = valid.Lines(&p, "description", in.Description, 0, maxSegmentDescription)
	if in.Rules == nil {
		in.Rules = Rules{}
	}
	in.Rules = maps.Clone(in.Rules)
	if text := ruleTextProblems(in.Rules); len(text) > 0 {
		p = append(p, text...)
	} else {
		_, err := ParseRules(in.Rules)
		p = append(p, crm.ErrorFields(err)...)
	}
	return in, p.Err()
}

// ruleTextProblems holds rules to what the query string holds its
// parameters to before reading them: valid UTF-8 without control
// characters, and keys that can be named in an answer.
func ruleTextProblems(r Rules) crm.Problems {
	var p crm.Problems
	for _, k := range slices.Sorted(maps.Keys(r)) {
		v := r[k]
		switch {
		case !utf8.ValidString(k) || utf8.RuneCountInString(k) > 64:
			p.Add("rules", "names a key that is not a filter of the customer list")
		case !utf8.ValidString(v):
			p.Add("rules."+k, "must be valid UTF-8")
		default:
			valid.Chars(&p, "rules."+k, v, false)
		}
	}
	return p
}

// CreateSegment validates in and stores a new segment, audited; it
// returns it with its MemberCount. Errors: invalid (naming each bad
// field).
func (s *Service) CreateSegment(ctx context.Context, in SegmentInput) (*Segment, error) {
	in, err := normalizeSegment(in)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	seg := &Segment{ID: crm.NewID(), Name: in.Name, Description: in.Description, Rules: in.Rules,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.inTx(ctx, func(ctx context.Context, r Repository) error {
		if err := r.CreateSegment(ctx, seg); err != nil {
			return err
		}
		return recordSegment(ctx, r, "create", nil, seg, now)
	})
	if err != nil {
		return nil, err
	}
	return s.counted(ctx, seg)
}

// GetSegment returns the segment with its MemberCount. Errors: not_found.
func (s *Service) GetSegment(ctx context.Context, id string) (*Segment, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("segment")
	}
	seg, err := s.repo.GetSegment(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.counted(ctx, seg)
}

// ListSegments returns a page of the segments, oldest first (by id);
// cursor is the NextCursor of the previous page. With countMembers each
// carries its MemberCount. Errors: invalid (naming limit or cursor).
func (s *Service) ListSegments(ctx context.Context, cursor string, limit int, countMembers bool) (*crm.Page[Segment], error) {
	limit, err := crm.PageLimit(limit, cursor)
	if err != nil {
		return nil, err
	}
	rows, err := s.repo.ListSegments(ctx, cursor, limit+1)
	if err != nil {
		return nil, err
	}
	page := crm.NewPage(rows, limit, func(last *Segment) string { return last.ID })
	if countMembers {
		for i := range page.Items {
			if _, err := s.counted(ctx, &page.Items[i]); err != nil {
				return nil, err
			}
		}
	}
	return page, nil
}

// UpdateSegment changes a segment in one transaction: it locks the
// segment, checks ifVersion (0: no condition) against its version, calls
// edit with its writable fields (SegmentInputOf), validates the result as
// CreateSegment does and writes it, audited. edit's error is returned as
// it is and nothing is written; an edit that changes nothing writes
// nothing. It returns the segment with its MemberCount. Errors:
// not_found, precondition_failed, invalid, and edit's.
func (s *Service) UpdateSegment(ctx context.Context, id string, ifVersion int64, edit func(*SegmentInput) error) (*Segment, error) {
	if !crm.ValidID(id) {
		return nil, crm.NotFound("segment")
	}
	var out *Segment
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := lockSegment(ctx, r, id, ifVersion)
		if err != nil {
			return err
		}
		in := SegmentInputOf(before)
		if err := edit(&in); err != nil {
			return err
		}
		if in, err = normalizeSegment(in); err != nil {
			return err
		}
		if in.Name == before.Name && in.Description == before.Description && maps.Equal(in.Rules, before.Rules) {
			out = before
			return nil
		}
		now := s.clock()
		after := *before
		after.Name, after.Description, after.Rules = in.Name, in.Description, in.Rules
		after.Version++
		after.UpdatedAt = now
		if err := r.UpdateSegment(ctx, &after); err != nil {
			return err
		}
		out = &after
		return recordSegment(ctx, r, "update", before, &after, now)
	})
	if err != nil {
		return nil, err
	}
	return s.counted(ctx, out)
}

// DeleteSegment removes a segment, audited; ifVersion, when not 0, must
// be its version. Errors: not_found, precondition_failed.
func (s *Service) DeleteSegment(ctx context.Context, id string, ifVersion int64) error {
	if !crm.ValidID(id) {
		return crm.NotFound("segment")
	}
	return s.inTx(ctx, func(ctx context.Context, r Repository) error {
		before, err := lockSegment(ctx, r, id, ifVersion)
		if err != nil {
			return err
		}
		if err := r.DeleteSegment(ctx, id, before.Version); err != nil {
			return err
		}
		return recordSegment(ctx, r, "delete", before, nil, s.clock())
	})
}

// lockSegment locks and reads segment id, checking ifVersion (0: no
// condition) against its version.
func lockSegment(ctx context.Context, r Repository, id string, ifVersion int64) (*Segment, error) {
	seg, err := r.LockSegment(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := crm.CheckVersion("segment", seg.Version, ifVersion); err != nil {
		return nil, err
	}
	return seg, nil
}

// recordSegment audits a change of a segment (entity "segments", no
// customer). A segment holds no personal data, except what a search rule
// (q) may name, which is masked.
func recordSegment(ctx context.Context, r Repository, action string, before, after *Segment, at time.Time) error {
	mask := func(field string, v any) any {
		if s, ok := v.(string); ok && field == "rules.q" {
			return crm.MaskWords(s)
		}
		return v
	}
	var b, a any // nil, not a nil *Segment, for "did not exist"
	id := ""
	if before != nil {
		b, id = before, before.ID
	}
	if after != nil {
		a, id = after, after.ID
	}
	return crm.Record(ctx, r, crm.NewAuditEntry(ctx, "", segmentEntity, id, action, crm.Diff(b, a, mask), at), "", nil)
}

// counted sets seg's MemberCount to the number of customers that meet its
// rules now, and returns seg.
func (s *Service) counted(ctx context.Context, seg *Segment) (*Segment, error) {
	c, err := ParseRules(seg.Rules)
	if err != nil {
		return nil, crm.Wrap(err, crm.CodeInternal, "segment "+seg.ID+" holds rules that no longer parse")
	}
	n, err := s.repo.CountProfiled(ctx, []Conditions{c})
	if err != nil {
		return nil, err
	}
	seg.MemberCount = &n
	return seg, nil
}

// segmentConditions reads the conditions of segment id. Errors: not_found.
func (s *Service) segmentConditions(ctx context.Context, id string) (Conditions, error) {
	if !crm.ValidID(id) {
		return Conditions{}, crm.NotFound("segment")
	}
	seg, err := s.repo.GetSegment(ctx, id)
	if err != nil {
		return Conditions{}, err
	}
	c, err := ParseRules(seg.Rules)
	if err != nil {
		return Conditions{}, crm.Wrap(err, crm.CodeInternal, "segment "+id+" holds rules that no longer parse")
	}
	return c, nil
}
