package analytics

import "github.com/ispstack/crm/customer"

// Conditions select customers: the conditions of the customer list (a
// customer.Filter; its Sort, After and Limit play no part) and those of
// their analytics.
type Conditions struct {
	Customer customer.Filter
	Profile  ProfileFilter
}

// Ranking is the order of a ProfileQuery.
type Ranking string

// The rankings. Each is total: ties go to the customer id.
const (
	// BySort is the customer list's order: ProfileQuery.Sort, ties by id
	// in the same direction.
	BySort Ranking = ""
	// ByLTV is by predicted lifetime value, then customer id, both
	// descending.
	ByLTV Ranking = "predicted_ltv"
	// ByChurnScore is by churn score, then customer id, both descending.
	ByChurnScore Ranking = "churn_score"
)

// RankKey is a position in the ByLTV order (Value the predicted lifetime
// value in minor units) or the ByChurnScore order (Value the score).
type RankKey struct {
	Value int64
	ID    string
}

// ProfileQuery asks for customers with their profiles: those that meet
// every element of Where (none: every customer), in Ranking order,
// strictly after a position (After for BySort, RankAfter for the others;
// nil for the first page), at most Limit of them (all when Limit <= 0).
type ProfileQuery struct {
	Where     []Conditions
	Ranking   Ranking
	Sort      customer.Sort // BySort's order; created_at ascending when zero
	After     *customer.Cursor
	RankAfter *RankKey
	Limit     int
}

// Profiled is a customer with its profile.
type Profiled struct {
	Customer customer.Customer
	// Profile is the customer's saved profile, or NoProfile when none has
	// been computed yet.
	Profile Profile
}
