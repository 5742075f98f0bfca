package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
)

// usageHistoryModule serves a customer's usage history, read from the
// network's usage feed; it is on when Services.Analytics is set.
var usageHistoryModule = module{
	on: func(svc *app.Services) bool { return svc.Analytics != nil },
	routes: func(s *server) []route {
		return []route{{http.MethodGet, "/api/v1/customers/:id/usage-history", RoleViewer, handleUsageHistory(s.services.Analytics),
			operation{id: "getUsageHistory", summary: "A customer's usage over a span of days, by day, week or month, with its totals and trend",
				params: usageHistoryParams(), status: 200, result: "UsageHistory", errors: []string{"400", "404"}}}}
	},
	components: usageHistoryComponents,
}

// handleUsageHistory serves GET …/usage-history?from=&to=&granularity=&service_id=.
func handleUsageHistory(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "from", "to", "granularity", "service_id")
		hq := analytics.UsageHistoryQuery{From: q.date("from"), To: q.date("to"),
			Granularity: enum(q, "granularity", analytics.Granularities), ServiceID: q.str("service_id")}
		if q.has("service_id") && hq.ServiceID == "" {
			q.p.Add("service_id", "must not be empty")
		}
		if err := q.err(); err != nil {
			return err
		}
		h, err := svc.UsageHistory(r.Context(), pathParam(r, "id"), hq)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, h)
		return nil
	})
}
