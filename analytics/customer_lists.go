package analytics

import (
	"context"
	"encoding/base64"
	"encoding/json"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/customer"
)

// ListParams is a request of the customer list that also filters by the
// customers' analytics or by a segment: the list's own parameters, the
// analytics conditions, and the segment whose members the list keeps.
type ListParams struct {
	customer.ListParams
	Profile ProfileFilter
	// SegmentID, when set, keeps the members of that segment: its rules
	// apply as well as the other conditions.
	SegmentID string
}

// ListCustomers returns a page of the customer list as customer.Service
// List does (the same sort, cursor and total), keeping only the customers
// that also meet p.Profile and the rules of segment p.SegmentID. A customer
// whose profile has not been computed yet is judged by NoProfile. Errors:
// invalid (naming each bad parameter), not_found (the segment).
func (s *Service) ListCustomers(ctx context.Context, p ListParams) (*crm.Page[customer.Customer], error) {
	f, err := customer.PageFilter(p.ListParams)
	problems := crm.Problems(crm.ErrorFields(err))
	problems = append(problems, crm.ErrorFields(p.Profile.Validate())...)
	if err := problems.Err(); err != nil {
		return nil, err
	}
	where := []Conditions{{Customer: conditionsOf(f), Profile: p.Profile}}
	if p.SegmentID != "" {
		c, err := s.segmentConditions(ctx, p.SegmentID)
		if err != nil {
			return nil, err
		}
		where = append(where, c)
	}
	rows, err := s.repo.ListProfiled(ctx, ProfileQuery{Where: where, Sort: f.Sort, After: f.After, Limit: f.Limit})
	if err != nil {
		return nil, err
	}
	customers := make([]customer.Customer, len(rows))
	for i := range rows {
		customers[i] = rows[i].Customer
	}
	page := customer.PageOf(customers, f)
	if p.IncludeTotal {
		n, err := s.repo.CountProfiled(ctx, where)
		if err != nil {
			return nil, err
		}
		page.Total = &n
	}
	return page, nil
}

// conditionsOf is f without its sort and page.
func conditionsOf(f customer.Filter) customer.Filter {
	f.Sort, f.After, f.Limit = customer.Sort{}, nil, 0
	return f
}

// RankParams is a request of a ranked list (HighValue, AtRisk): the
// conditions its customers meet besides the list's own, and the page.
type RankParams struct {
	// Filter holds customer conditions; its Sort, After and Limit play no
	// part.
	Filter  customer.Filter
	Profile ProfileFilter
	// SegmentID, when set, keeps the members of that segment.
	SegmentID string
	Cursor    string // NextCursor of the previous page
	Limit     int    // 0 means crm.DefaultLimit
}

// HighValuePercent is the share of customers the high-value list holds
// when no bound is given: the top 10 % by predicted lifetime value.
const HighValuePercent = 10

// HighValue returns a page of the high-value customers, by predicted
// lifetime value, then id, both descending. They are the customers that
// meet p's conditions and whose predicted lifetime value is positive and
// at least a threshold: with p.Profile.MinLTV or MinMRR set, those bounds
// alone; otherwise the top HighValuePercent: of the n customers that meet
// p's conditions (closed ones are never listed; one whose profile has not
// been computed counts with a value of 0), the threshold is the value of
// the customer at rank ceil(n × 10 %), every customer tied with it
// included. The first page fixes the threshold and the cursor carries it,
// so the pages of one walk list one set; the threshold of a set of
// conditions is computed at most once every ThresholdTTL. Errors: invalid
// (naming limit, cursor or the bad condition), not_found (the segment).
func (s *Service) HighValue(ctx context.Context, p RankParams) (*crm.Page[Profiled], error) {
	limit, cur, err := checkRank(p, ByLTV)
	if err != nil {
		return nil, err
	}
	where, err := s.rankConditions(ctx, p, ProfileFilter{MinLTV: ptr(crm.Money(1))})
	if err != nil {
		return nil, err
	}
	var threshold *int64
	if p.Profile.MinLTV == nil && p.Profile.MinMRR == nil {
		threshold = cur.Threshold
		if threshold == nil {
			t, err := s.topThreshold(ctx, where)
			if err != nil {
				return nil, err
			}
			threshold = &t
		}
		where = append(where, Conditions{Profile: ProfileFilter{MinLTV: ptr(crm.Money(*threshold))}})
	}
	rows, err := s.repo.ListProfiled(ctx, ProfileQuery{Where: where, Ranking: ByLTV, RankAfter: cur.key(), Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(last *Profiled) string {
		return rankCursor{Ranking: ByLTV, Value: int64(last.Profile.PredictedLTV), ID: last.Customer.ID, Threshold: threshold}.encode()
	}), nil
}

// topThreshold is the predicted lifetime value of the customer at rank
// ceil(n × HighValuePercent %) of the n customers that meet where but its
// last element, or 1 (a cent: every positive value) when that customer's
// value is not positive. The last element keeps the positive values,
// which come first in the ranking, so the customer at that rank is among
// them if it is positive. A threshold computed for the same conditions
// less than ThresholdTTL ago is reused.
func (s *Service) topThreshold(ctx context.Context, where []Conditions) (int64, error) {
	key, now := thresholdKey(where), s.clock()
	if t, ok := s.thresholds.get(key, now); ok {
		return t, nil
	}
	t := int64(1)
	n, err := s.repo.CountProfiled(ctx, where[:len(where)-1])
	if err != nil {
		return 0, err
	}
	if n > 0 {
		v, ok, err := s.repo.LTVAtRank(ctx, where, (n*HighValuePercent+99)/100)
		if err != nil {
			return 0, err
		}
		if ok {
			t = int64(v)
		}
	}
	s.thresholds.put(key, t, now)
	return t, nil
}

// AtRisk returns a page of the customers whose churn score is at least
// minScore (HighScore when nil; 0–100, else invalid naming min_score) and
// that meet p's conditions, by churn score, then id, both descending.
// Closed customers are never listed. Errors: invalid (naming min_score,
// limit, cursor or the bad condition), not_found (the segment).
func (s *Service) AtRisk(ctx context.Context, minScore *int, p RankParams) (*crm.Page[Profiled], error) {
	min := HighScore
	if minScore != nil {
		min = *minScore
	}
	limit, cur, err := checkRank(p, ByChurnScore)
	problems := crm.Problems(crm.ErrorFields(err))
	if min < 0 || min > 100 {
		problems.Add("min_score", "must be between 0 and 100")
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	where, err := s.rankConditions(ctx, p, ProfileFilter{MinChurnScore: &min})
	if err != nil {
		return nil, err
	}
	rows, err := s.repo.ListProfiled(ctx, ProfileQuery{Where: where, Ranking: ByChurnScore, RankAfter: cur.key(), Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(last *Profiled) string {
		return rankCursor{Ranking: ByChurnScore, Value: int64(last.Profile.ChurnScore), ID: last.Customer.ID}.encode()
	}), nil
}

// rankConditions are the conditions of a ranked list: p's, the rules of
// its segment, and the list's own, last. Errors: not_found (the segment).
func (s *Service) rankConditions(ctx context.Context, p RankParams, own ProfileFilter) ([]Conditions, error) {
	where := []Conditions{{Customer: conditionsOf(p.Filter), Profile: p.Profile}}
	if p.SegmentID != "" {
		c, err := s.segmentConditions(ctx, p.SegmentID)
		if err != nil {
			return nil, err
		}
		where = append(where, c)
	}
	return append(where, Conditions{Profile: own}), nil
}

// checkRank validates a ranked list request for ranking r and returns its
// limit (crm.DefaultLimit for 0) and decoded cursor (zero for none).
func checkRank(p RankParams, r Ranking) (int, rankCursor, error) {
	var problems crm.Problems
	limit := p.Limit
	if limit < 0 || limit > crm.MaxLimit {
		problems.Addf("limit", "must be between 1 and %d", crm.MaxLimit)
	}
	if limit == 0 {
		limit = crm.DefaultLimit
	}
	problems = append(problems, crm.ErrorFields(customer.ValidateConditions(&p.Filter))...)
	problems = append(problems, crm.ErrorFields(p.Profile.Validate())...)
	cur, ok := decodeRankCursor(p.Cursor, r)
	if !ok {
		problems.Add("cursor", "is not a cursor returned by this list")
	}
	return limit, cur, problems.Err()
}

// rankCursor is the JSON inside the cursor of a ranked list: the ranking
// it was made for, the position, and the high-value threshold of the walk.
type rankCursor struct {
	Ranking   Ranking `json:"r"`
	Value     int64   `json:"v"`
	ID        string  `json:"i"`
	Threshold *int64  `json:"t,omitempty"`
}

func (c rankCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// key is the position of c; nil for the first page.
func (c rankCursor) key() *RankKey {
	if c.ID == "" {
		return nil
	}
	return &RankKey{Value: c.Value, ID: c.ID}
}

// decodeRankCursor returns the cursor in s (zero for ""), and false when s
// was not made by encode for ranking r.
func decodeRankCursor(s string, r Ranking) (rankCursor, bool) {
	var c rankCursor
	if s == "" {
		return c, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(s) > 1024 || json.Unmarshal(raw, &c) != nil || c.Ranking != r || !crm.ValidID(c.ID) {
		return rankCursor{}, false
	}
	return c, true
}

func ptr[T any](v T) *T { return &v }
