package customer

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// maxQuery bounds the search text of a list, in characters.
const maxQuery = 100

// ListParams is a list request: a Filter (whose After and Limit are set from
// Cursor and Limit here), an opaque cursor, and whether to count.
type ListParams struct {
	Filter       Filter
	Cursor       string
	Limit        int // 0 means crm.DefaultLimit
	IncludeTotal bool
}

// cursorToken is the decoded form of an opaque cursor. It records the sort it
// was made for, so a cursor cannot be replayed against another order.
type cursorToken struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   string `json:"i"`
}

// List returns a page of customers matching p. Errors: invalid (limit,
// cursor, filter values, naming the query parameter).
func (s *Service) List(ctx context.Context, p ListParams) (*crm.Page[Customer], error) {
	f, err := PageFilter(p)
	if err != nil {
		return nil, err
	}
	rows, err := s.repo.ListCustomers(ctx, f)
	if err != nil {
		return nil, err
	}
	page := PageOf(rows, f)
	if p.IncludeTotal {
		n, err := s.repo.CountCustomers(ctx, f)
		if err != nil {
			return nil, err
		}
		page.Total = &n
	}
	return page, nil
}

// PageFilter validates p and returns the Filter that reads its page:
// p.Filter with the sort defaulted to created_at, After decoded from
// p.Cursor, and Limit one more than the page size, since the extra row
// tells whether there is a next page. Lists that read customers another
// way (with their analytics) page them through it and PageOf as List
// does. Errors: invalid, as List.
func PageFilter(p ListParams) (Filter, error) {
	f := p.Filter
	if err := validateFilter(&f, p.Limit); err != nil {
		return f, err
	}
	f.Limit = p.Limit
	if f.Limit == 0 {
		f.Limit = crm.DefaultLimit
	}
	if p.Cursor != "" {
		c, err := decodeCursor(p.Cursor, sortString(f.Sort))
		if err != nil {
			return f, err
		}
		f.After = c
	}
	f.Limit++
	return f, nil
}

// PageOf cuts rows, read with f from PageFilter, into the page, whose
// cursor only fits the same sort.
func PageOf(rows []Customer, f Filter) *crm.Page[Customer] {
	sortName := sortString(f.Sort)
	return crm.NewPage(rows, f.Limit-1, func(last *Customer) string {
		return encodeCursor(cursorToken{Sort: sortName, Key: SortKey(last, f.Sort.Field), ID: last.ID})
	})
}

// ParseSort reads a sort parameter ("name", "-created_at"); "" is
// created_at ascending.
func ParseSort(v string) (Sort, error) {
	if v == "" {
		return Sort{Field: SortCreatedAt}, nil
	}
	desc := strings.HasPrefix(v, "-")
	f := SortField(strings.TrimPrefix(v, "-"))
	if !slices.Contains(SortFields, f) {
		var p crm.Problems
		p.Add("sort", valid.EnumMessage(false, SortFields)+", optionally prefixed with - for descending")
		return Sort{}, p.Err()
	}
	return Sort{Field: f, Desc: desc}, nil
}

func sortString(s Sort) string {
	if s.Desc {
		return "-" + string(s.Field)
	}
	return string(s.Field)
}

func validateFilter(f *Filter, limit int) error {
	var p crm.Problems
	if limit < 0 || limit > crm.MaxLimit {
		p.Addf("limit", "must be between 1 and %d", crm.MaxLimit)
	}
	if f.Sort.Field == "" {
		f.Sort.Field = SortCreatedAt
	}
	if !slices.Contains(SortFields, f.Sort.Field) {
		p.Add("sort", valid.EnumMessage(false, SortFields))
	}
	checkConditions(&p, f)
	return p.Err()
}

// checkConditions validates the conditions of f (all but its sort and
// page), naming each by its query parameter.
func checkConditions(p *crm.Problems, f *Filter) {
	if f.Status != "" && !slices.Contains(Statuses, f.Status) {
		p.Add("status", valid.EnumMessage(false, Statuses))
	}
	if f.Type != "" && !slices.Contains(Types, f.Type) {
		p.Add("customer_type", valid.EnumMessage(false, Types))
	}
	if f.PreferredContact != "" && !slices.Contains(ContactMethods, f.PreferredContact) {
		p.Add("preferred_contact", valid.EnumMessage(false, ContactMethods))
	}
	for _, c := range []struct {
		name string
		v    string
		max  int
	}{{"q", f.Query, maxQuery}, {"city", f.City, maxCity}, {"state", f.State, maxCity}, {"postal_code", f.PostalCode, maxCity},
		{"external_id", f.ExternalID, maxExternal}} {
		if utf8.RuneCountInString(c.v) > c.max {
			p.Addf(c.name, "must be at most %d characters", c.max)
		} else {
			valid.Chars(p, c.name, c.v, false)
		}
	}
	for _, c := range []struct {
		name string
		v    *time.Time
	}{{"created_after", f.CreatedAfter}, {"created_before", f.CreatedBefore}} {
		if c.v != nil {
			valid.Time(p, c.name, *c.v)
		}
	}
	for _, c := range []struct {
		name string
		v    *int
	}{{"min_credit_score", f.MinCreditScore}, {"max_credit_score", f.MaxCreditScore}} {
		if c.v != nil && (*c.v < minCredit || *c.v > maxCredit) {
			p.Addf(c.name, "must be between %d and %d", minCredit, maxCredit)
		}
	}
	if f.MinCreditScore != nil && f.MaxCreditScore != nil && *f.MinCreditScore > *f.MaxCreditScore {
		p.Add("min_credit_score", "must not exceed max_credit_score")
	}
}

func encodeCursor(t cursorToken) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sortName string) (*Cursor, error) {
	bad := func(msg string) error {
		var p crm.Problems
		p.Add("cursor", msg)
		return p.Err()
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var t cursorToken
	if err != nil || len(s) > 1024 || json.Unmarshal(raw, &t) != nil || !crm.ValidID(t.ID) {
		return nil, bad("is not a cursor returned by this API")
	}
	if t.Sort != sortName {
		return nil, bad("was made for sort=" + t.Sort + "; repeat the query with the same sort")
	}
	if !validSortKey(strings.TrimPrefix(t.Sort, "-"), t.Key) {
		return nil, bad("is not a cursor returned by this API")
	}
	return &Cursor{Key: t.Key, ID: t.ID}, nil
}

// validSortKey reports whether key has the form SortKey gives for field, so
// stores can parse it without checking again.
func validSortKey(field, key string) bool {
	switch SortField(field) {
	case SortCreatedAt:
		_, err := time.Parse(time.RFC3339Nano, key)
		return err == nil
	case SortCreditScore:
		_, err := strconv.Atoi(key)
		return err == nil
	}
	return utf8.ValidString(key)
}
