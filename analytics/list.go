package analytics

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/internal/valid"
)

// ListInvoices returns a page of the customer's invoices, newest first (by
// issued_at, then invoice_id, both descending); cursor is the NextCursor
// of the previous page. Errors: invalid (naming limit or cursor),
// not_found.
func (s *Service) ListInvoices(ctx context.Context, customerID, cursor string, limit int) (*crm.Page[Invoice], error) {
	var p crm.Problems
	if limit < 0 || limit > crm.MaxLimit {
		p.Addf("limit", "must be between 1 and %d", crm.MaxLimit)
	}
	if limit == 0 {
		limit = crm.DefaultLimit
	}
	after, ok := decodeInvoiceCursor(cursor)
	if !ok {
		p.Add("cursor", "is not a cursor returned by this API")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if !crm.ValidID(customerID) {
		return nil, crm.NotFound("customer")
	}
	if _, err := s.repo.GetCustomer(ctx, customerID); err != nil {
		return nil, err
	}
	rows, err := s.repo.ListInvoices(ctx, customerID, after, limit+1)
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(last *Invoice) string {
		return encodeInvoiceCursor(InvoiceKey{last.IssuedAt, last.InvoiceID})
	}), nil
}

// invoiceCursor is the JSON inside an invoice list cursor.
type invoiceCursor struct {
	IssuedAt  string `json:"i"`
	InvoiceID string `json:"id"`
}

func encodeInvoiceCursor(k InvoiceKey) string {
	b, _ := json.Marshal(invoiceCursor{k.IssuedAt.String(), k.InvoiceID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeInvoiceCursor returns the key in cursor (nil for ""), and false when
// cursor was not made by encodeInvoiceCursor.
func decodeInvoiceCursor(cursor string) (*InvoiceKey, bool) {
	if cursor == "" {
		return nil, true
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	var c invoiceCursor
	if err != nil || len(cursor) > 1024 || json.Unmarshal(raw, &c) != nil || c.InvoiceID == "" {
		return nil, false
	}
	t, err := time.Parse(time.DateOnly, c.IssuedAt)
	if err != nil {
		return nil, false
	}
	key := &InvoiceKey{crm.DateOf(t), c.InvoiceID}
	var p crm.Problems
	if key.IssuedAt.CheckRange() != nil || !utf8.ValidString(c.InvoiceID) || !valid.Chars(&p, "cursor", c.InvoiceID, false) {
		return nil, false
	}
	return key, true
}
