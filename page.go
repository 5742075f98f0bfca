package crm

// Page limits of every list: the API's limit parameter is 1 to MaxLimit,
// DefaultLimit when absent.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is one page of a list: at most the requested number of items, the
// opaque cursor of the next page ("" on the last) and, when asked for, the
// total number of matching items.
type Page[T any] struct {
	Items      []T
	NextCursor string
	HasMore    bool
	Total      *int
}

// NewPage cuts rows, fetched with one extra row beyond limit, into a page:
// the extra row only tells that there is a next page, whose cursor is made
// from the last row kept.
func NewPage[T any](rows []T, limit int, cursorOf func(*T) string) *Page[T] {
	if rows == nil {
		rows = []T{}
	}
	p := &Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items, p.HasMore = rows[:limit], true
		p.NextCursor = cursorOf(&rows[limit-1])
	}
	return p
}

// PageLimit validates an id-keyed page request (limit 0 means DefaultLimit;
// cursor, when set, must be an id) and returns the limit to use. The error
// is invalid, naming limit and cursor.
func PageLimit(limit int, cursor string) (int, error) {
	var p Problems
	if limit < 0 || limit > MaxLimit {
		p.Addf("limit", "must be between 1 and %d", MaxLimit)
	}
	if cursor != "" && !ValidID(cursor) {
		p.Add("cursor", "is not a cursor returned by this API")
	}
	if limit == 0 {
		limit = DefaultLimit
	}
	return limit, p.Err()
}
