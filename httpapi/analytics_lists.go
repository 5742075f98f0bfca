package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
)

// analyticsListsModule serves the customer lists ranked by analytics:
// high-value and at-risk. It is on when Services.Analytics is set.
var analyticsListsModule = module{
	on:         func(svc *app.Services) bool { return svc.Analytics != nil },
	routes:     analyticsListRoutes,
	components: analyticsListComponents,
}

// analyticsListRoutes are the routes of the ranked lists.
func analyticsListRoutes(s *server) []route {
	svc := s.services.Analytics
	minScore := queryParam("min_score", obj{"type": "integer", "minimum": 0, "maximum": 100, "default": analytics.HighScore})
	minScore["description"] = "The lowest churn score listed; the default is the high cut-off."
	return []route{
		{http.MethodGet, "/api/v1/customers/high-value", RoleViewer, handleHighValue(svc),
			operation{id: "listHighValueCustomers", summary: "Customers by predicted lifetime value, descending: the top 10 %, or those within min_ltv and min_mrr",
				params: rankParameters(nil), status: 200, result: "AnalyticsCustomerList", errors: []string{"400", "404"}}},
		{http.MethodGet, "/api/v1/customers/at-risk", RoleViewer, handleAtRisk(svc),
			operation{id: "listAtRiskCustomers", summary: "Customers whose churn score is at least min_score, descending",
				params: rankParameters([]any{minScore}, "min_churn_score"), status: 200, result: "AnalyticsCustomerList", errors: []string{"400", "404"}}},
	}
}

// readConditions reads the customer list's filter conditions from q and,
// with profiles, the analytics ones, adding their problems to q's: the
// same reading as a segment's rules (customer.ParseFilter,
// analytics.ParseProfileFilter).
func readConditions(q *query, profiles bool) (customer.Filter, analytics.ProfileFilter) {
	f, err := customer.ParseFilter(q.given)
	q.merge(err)
	var pf analytics.ProfileFilter
	if profiles {
		pf, err = analytics.ParseProfileFilter(q.given)
		q.merge(err)
	}
	return f, pf
}

// segmentID reads the segment_id parameter; the service answers 404 for
// an id that names no segment.
func (q *query) segmentID() string {
	id := q.str("segment_id")
	if q.has("segment_id") && id == "" {
		q.p.Add("segment_id", "must not be empty")
	}
	return id
}

// rankParams are the parameters of the ranked lists besides their own
// (min_score) and the analytics filters they leave out.
func rankParams(own []string, without ...string) []string {
	out := slices.Concat(customer.FilterParams, analytics.ProfileFilterParams, []string{"segment_id", "limit", "cursor"}, own)
	return slices.DeleteFunc(out, func(name string) bool { return slices.Contains(without, name) })
}

// readRank reads the request of a ranked list.
func readRank(q *query) analytics.RankParams {
	f, pf := readConditions(q, true)
	return analytics.RankParams{Filter: f, Profile: pf, SegmentID: q.segmentID(), Cursor: q.cursor(), Limit: q.limit()}
}

// handleHighValue serves GET /customers/high-value.
func handleHighValue(svc *analytics.Service) http.Handler {
	allowed := rankParams(nil)
	return handleRanked(func(ctx context.Context, r *http.Request) (*crm.Page[analytics.Profiled], error) {
		q := parseQuery(r, allowed...)
		p := readRank(q)
		if err := q.err(); err != nil {
			return nil, err
		}
		return svc.HighValue(ctx, p)
	})
}

// handleAtRisk serves GET /customers/at-risk?min_score=; min_score takes
// the place of the min_churn_score filter.
func handleAtRisk(svc *analytics.Service) http.Handler {
	allowed := rankParams([]string{"min_score"}, "min_churn_score")
	return handleRanked(func(ctx context.Context, r *http.Request) (*crm.Page[analytics.Profiled], error) {
		q := parseQuery(r, allowed...)
		p := readRank(q)
		minScore := q.integer("min_score")
		if err := q.err(); err != nil {
			return nil, err
		}
		return svc.AtRisk(ctx, minScore, p)
	})
}

// handleRanked serves a ranked list: the customer list's envelope, each
// item the customer with its analytics.
func handleRanked(list func(ctx context.Context, r *http.Request) (*crm.Page[analytics.Profiled], error)) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		page, err := list(r.Context(), r)
		if err != nil {
			return err
		}
		items := make([]rankedCustomer, len(page.Items))
		for i := range page.Items {
			p := &page.Items[i]
			items[i] = rankedCustomer{Customer: &p.Customer, Analytics: customerAnalytics{
				MRR: p.Profile.MRR, PredictedLTV: p.Profile.PredictedLTV, ChurnScore: p.Profile.ChurnScore,
				ChurnLevel: p.Profile.ChurnLevel, TenureMonths: p.Profile.TenureMonths,
			}}
		}
		out := &crm.Page[rankedCustomer]{Items: items, NextCursor: page.NextCursor, HasMore: page.HasMore}
		encode(w, r, http.StatusOK, pageBody[rankedCustomer]{"customers", out})
		return nil
	})
}

// rankedCustomer is an item of a ranked list: the customer and its
// analytics.
type rankedCustomer struct {
	*customer.Customer
	Analytics customerAnalytics `json:"analytics"`
}

// customerAnalytics are the figures of a customer's profile a ranked list
// shows.
type customerAnalytics struct {
	MRR          crm.Money            `json:"mrr"`
	PredictedLTV crm.Money            `json:"predicted_lifetime_value"`
	ChurnScore   int                  `json:"churn_score"`
	ChurnLevel   analytics.ChurnLevel `json:"churn_level"`
	TenureMonths int                  `json:"tenure_months"`
}
