package customer

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
