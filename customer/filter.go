package customer

import (
	"strconv"
	"strings"
	"time"
)

// SortField is a field customers can be listed by.
type SortField string

// The sort fields.
const (
	SortName          SortField = "name"
	SortCreatedAt     SortField = "created_at"
	SortCreditScore   SortField = "credit_score"
	SortAccountNumber SortField = "account_number"
)

// SortFields lists every valid SortField.
var SortFields = []SortField{SortName, SortCreatedAt, SortCreditScore, SortAccountNumber}

// Sort is an order: a field, ascending unless Desc. Ties are always broken by
// id in the same direction, which makes the order total and keyset paging
// stable while rows are written concurrently.
type Sort struct {
	Field SortField
	Desc  bool
}

// Filter selects and orders customers. Zero fields do not filter. Closed
// (erased) customers are never listed.
type Filter struct {
	Status           Status
	Type             Type
	Query            string // substring over SearchText, see NormalizeQuery
	CreatedAfter     *time.Time
	CreatedBefore    *time.Time
	City             string // billing address city, case-insensitive
	State            string // billing address state, case-insensitive
	PostalCode       string // billing address postal code, exact
	MinCreditScore   *int
	MaxCreditScore   *int
	PreferredContact ContactMethod
	ExternalID       string // exact
	Sort             Sort
	// After is the keyset position: only rows strictly after it in Sort
	// order are returned.
	After *Cursor
	// Limit is the number of rows to return; Repository callers always set it.
	Limit int
}

// Cursor is a keyset position: the sort key and id of the last row seen.
type Cursor struct {
	Key string
	ID  string
}

// SortKey is the value customers are ordered by for field f, as a string:
//   - name: NameKey(c.Name), compared bytewise;
//   - account_number: the account number, compared bytewise;
//   - created_at: CreatedAt in RFC 3339 with nanoseconds, compared as a time;
//   - credit_score: the decimal score (0 when unknown), compared as a number.
func SortKey(c *Customer, f SortField) string {
	switch f {
	case SortName:
		return NameKey(c.Name)
	case SortAccountNumber:
		return c.AccountNumber
	case SortCreditScore:
		return strconv.Itoa(CreditKey(c.CreditScore))
	default:
		return c.CreatedAt.UTC().Format(time.RFC3339Nano)
	}
}

// NameKey is the case-folded name customers are sorted by. Both stores keep it
// as computed here, so they order identically.
func NameKey(name string) string { return strings.ToLower(name) }

// CreditKey is the credit score customers are sorted by: unknown sorts as 0.
func CreditKey(score *int) int {
	if score == nil {
		return 0
	}
	return *score
}

// SearchText is the lower-cased text that Filter.Query searches: name,
// email, phone (with and without "+"), account number and company.
func SearchText(c *Customer) string {
	return strings.ToLower(strings.Join([]string{
		c.Name, c.Email, c.Phone, strings.TrimPrefix(c.Phone, "+"), c.AccountNumber, c.Company,
	}, " "))
}

// NormalizeQuery is the form of a search query that is looked for, as a
// substring, in SearchText.
func NormalizeQuery(q string) string { return strings.ToLower(strings.TrimSpace(q)) }
