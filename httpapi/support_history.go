package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/analytics"
)

// supportHistoryRoute is the route of a customer's support history.
func supportHistoryRoute(svc *analytics.Service) route {
	months := queryParam("months", obj{"type": "integer", "minimum": 1, "maximum": analytics.MaxHistoryMonths,
		"default": analytics.DefaultHistoryMonths})
	months["description"] = "The window: the tickets opened at or after this many calendar months before the server's clock."
	return route{http.MethodGet, "/api/v1/customers/:id/support-history", RoleViewer, handleSupportHistory(svc),
		operation{id: "getSupportHistory", summary: "A customer's support tickets over the last months, with their figures",
			params: []any{pref("CustomerID"), months}, status: 200, result: "SupportHistory", errors: []string{"400", "404"}}}
}

// handleSupportHistory serves GET /customers/{id}/support-history?months=
// (1 to analytics.MaxHistoryMonths, analytics.DefaultHistoryMonths when
// absent): 200 with the analytics.SupportHistory.
func handleSupportHistory(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "months")
		months := analytics.DefaultHistoryMonths
		if n := q.integer("months"); n != nil {
			months = *n
		}
		if err := q.err(); err != nil {
			return err
		}
		h, err := svc.SupportHistory(r.Context(), pathParam(r, "id"), months)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, h)
		return nil
	})
}

// supportHistorySchema is the schema of an analytics.SupportHistory; its
// tickets are the Ticket schema.
func supportHistorySchema() obj {
	count := func(desc string) obj { return obj{"type": "integer", "minimum": 0, "description": desc} }
	mean := func(desc string) obj { return obj{"type": []any{"number", "null"}, "minimum": 0, "description": desc} }
	categories := obj{}
	names := make([]string, len(analytics.TicketCategories))
	for i, c := range analytics.TicketCategories {
		names[i] = string(c)
		categories[string(c)] = count("")
	}
	const window = " The window holds the tickets opened at or after `months` calendar months before the server's clock" +
		" and at or before it; a ticket dated after the clock is in no window, as a payment is not."
	return object([]string{"customer_id", "summary", "tickets"}, obj{
		"customer_id": obj{"type": "string", "format": "uuid"},
		"summary": closed(object([]string{"total_tickets", "open_tickets", "tickets_last_90_days", "average_resolution_hours",
			"average_satisfaction", "by_category"}, obj{
			"total_tickets":        count("Tickets in the window." + window),
			"open_tickets":         count("Tickets in the window whose status is open or pending."),
			"tickets_last_90_days": count("Tickets opened at or after 90 days (of 24 hours) before the server's clock, whatever the window."),
			"average_resolution_hours": mean("Mean of resolved_at minus opened_at, in hours to one decimal (halves up), over the tickets" +
				" in the window that have a resolved_at, whatever their status; null when none has."),
			"average_satisfaction": mean("Mean satisfaction, to one decimal (halves up), of the tickets in the window that are rated;" +
				" null when none is."),
			"by_category": closed(object(names, categories)),
		})),
		"tickets": obj{"type": "array", "items": sref("Ticket"), "maxItems": analytics.MaxSupportTickets,
			"description": "The window's newest tickets, newest first (by opened_at, then ticket_id, both descending), at most " +
				itoa(analytics.MaxSupportTickets) + "; the summary counts every ticket of the window."},
	})
}
