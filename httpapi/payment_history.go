package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
)

// paymentHistoryModule serves a customer's payment history, read from the
// billing feed; it is on when Services.Analytics is set.
var paymentHistoryModule = module{
	on: func(svc *app.Services) bool { return svc.Analytics != nil },
	routes: func(s *server) []route {
		return []route{{http.MethodGet, "/api/v1/customers/:id/payment-history", RoleViewer, handlePaymentHistory(s.services.Analytics),
			operation{id: "getPaymentHistory", summary: "A customer's payments of the last months and their summary",
				params: []any{pref("CustomerID"),
					obj{"name": "months", "in": "query", "description": "The window: payments with paid_at in the last months months.",
						"schema": obj{"type": "integer", "minimum": analytics.MinHistoryMonths, "maximum": analytics.MaxHistoryMonths,
							"default": analytics.DefaultHistoryMonths}},
					obj{"name": "include_failed", "in": "query", "schema": obj{"type": "boolean", "default": true},
						"description": "false leaves the failed payments out of the list; the summary counts them either way."}},
				status: 200, result: "PaymentHistory", errors: []string{"400", "404"}}}}
	},
	components: paymentHistoryComponents,
}

// handlePaymentHistory serves GET …/payment-history?months=&include_failed=.
func handlePaymentHistory(svc *analytics.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "months", "include_failed")
		months := analytics.DefaultHistoryMonths
		if n := q.integer("months"); n != nil {
			months = *n
		}
		includeFailed := q.flag("include_failed", true)
		if err := q.err(); err != nil {
			return err
		}
		h, err := svc.PaymentHistory(r.Context(), pathParam(r, "id"), months, includeFailed)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, h)
		return nil
	})
}

// paymentHistoryComponents are the schemas of the payment history.
func paymentHistoryComponents() components {
	count := func(desc string) obj { return obj{"type": "integer", "minimum": 0, "description": desc} }
	return components{schemas: obj{
		"PaymentHistory": closed(object([]string{"customer_id", "summary", "payments"}, obj{
			"customer_id": obj{"type": "string", "format": "uuid"},
			"summary":     sref("PaymentHistorySummary"),
			"payments": obj{"type": "array", "items": sref("PaymentHistoryItem"),
				"description": "The window's payments (paid_at from the same instant months months before now, through now), newest first (by paid_at, then transaction_id)."},
		})),
		"PaymentHistorySummary": closed(object([]string{"total_payments", "payment_count", "average_payment", "on_time_percentage",
			"failed_payments_count", "preferred_payment_method", "autopay", "payment_pattern"}, obj{
			"total_payments":  money("The window's succeeded payments minus its refunds; failed and pending payments count for nothing."),
			"payment_count":   count("The window's succeeded payments."),
			"average_payment": money("The sum of the succeeded payments / payment_count, rounded to the cent half away from zero; 0 when there is none."),
			"on_time_percentage": orNull(obj{"type": "number", "minimum": 0, "maximum": 100,
				"description": "Share (0–100, one decimal, half away from zero) of the invoices that are not void and whose due date lies from the window's first UTC date up to yesterday (UTC; an invoice due today is not yet judged) " +
					"that succeeded payments naming them, paid before the end of the due date (UTC), cover in full. Null when no invoice qualifies."}),
			"failed_payments_count": count("The window's failed payments, whether or not include_failed lists them."),
			"preferred_payment_method": orNull(enumOf("The most frequent method of the window's succeeded payments; a tie goes to the one used last. Null when there is none.",
				analytics.PaymentMethods)),
			"autopay": boolean("That of the window's latest payment that is not a refund; false when there is none."),
			"payment_pattern": enumOf("monthly, quarterly or annual when at least 80 % of the gaps between successive succeeded payments (in days between their UTC dates) lie within 25–35, 80–100 or 350–380 days; "+
				"irregular otherwise; none below 3 succeeded payments.", analytics.PaymentPatterns),
		})),
		"PaymentHistoryItem": closed(object([]string{"payment_id", "amount", "payment_date", "payment_method", "autopay", "status",
			"invoice_id", "transaction_id", "notes"}, obj{
			"payment_id":     str("The payment's id within the customer: its transaction_id."),
			"amount":         money(""),
			"payment_date":   timestamp("paid_at, in UTC."),
			"payment_method": enumOf("", analytics.PaymentMethods),
			"autopay":        boolean(""),
			"status":         enumOf("refunded is a refund.", analytics.PaymentStatuses),
			"invoice_id":     orNull(str("The invoice_id of the invoice paid; null when none.")),
			"transaction_id": str("The billing system's id of the payment."),
			"notes":          str(""),
		})),
	}}
}
