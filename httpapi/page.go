package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ispstack/crm"
)

// pageBody is the JSON of one page of a collection (API.md), with its keys
// in the documented order: the items under the collection's plural name,
// next_cursor (null on the last page), has_more and, when counted,
// total_count.
type pageBody[T any] struct {
	plural string
	page   *crm.Page[T]
}

// MarshalJSON writes the page.
func (b pageBody[T]) MarshalJSON() ([]byte, error) {
	items, err := json.Marshal(b.page.Items)
	if err != nil {
		return nil, err
	}
	next := []byte("null")
	if b.page.NextCursor != "" {
		next, _ = json.Marshal(b.page.NextCursor)
	}
	name, _ := json.Marshal(b.plural)
	out := fmt.Appendf(nil, `{%s:%s,"next_cursor":%s,"has_more":%t`, name, items, next, b.page.HasMore)
	if b.page.Total != nil {
		out = fmt.Appendf(out, `,"total_count":%d`, *b.page.Total)
	}
	return append(out, '}'), nil
}

// childLister lists one page of a customer's child collection.
type childLister[T any] func(ctx context.Context, customerID, cursor string, limit int) (*crm.Page[T], error)

// handleChildList serves GET of a collection below a customer
// (/customers/{id}/services, /customers/{id}/audit), paged with limit and
// cursor.
func handleChildList[T any](plural string, list childLister[T]) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "limit", "cursor")
		limit, cursor := q.limit(), q.cursor()
		if err := q.err(); err != nil {
			return err
		}
		page, err := list(r.Context(), pathParam(r, "id"), cursor, limit)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, pageBody[T]{plural, page})
		return nil
	})
}
