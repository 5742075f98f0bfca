package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
)

// feedMaxBody is the body limit of the feed routes: the largest valid
// batch must fit. A payment at its longest (ids of 100, a failure reason
// of 200 and notes of 2,000 characters, each character JSON-escaped to up
// to 6 bytes, as Go's encoder does for <, > and &) is about 15 KB, so
// 1,000 of them take about 15 MB; the server's 1 MiB JSON limit holds only
// a few hundred ordinary records.
const feedMaxBody = 16 << 20

// analyticsModule serves the billing, usage and support feeds of customers;
// it is on when Services.Analytics is set.
var analyticsModule = module{
	on:         func(svc *app.Services) bool { return svc.Analytics != nil },
	routes:     analyticsRoutes,
	components: analyticsComponents,
}

// analyticsRoutes are the routes of the analytics module.
func analyticsRoutes(s *server) []route {
	svc := s.services.Analytics
	ingest := func(kind, plural, summary string, h http.Handler) route {
		return route{http.MethodPost, "/api/v1/customers/:id/" + plural, RoleAgent, h,
			operation{id: "ingest" + kind, summary: summary,
				params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: kind + "Batch", status: 200, result: "IngestResult",
				errors: []string{"400", "404", "413", "415", "422"}, maxBody: feedMaxBody}}
	}
	return []route{
		{http.MethodGet, "/api/v1/customers/:id/invoices", RoleViewer, handleChildList("invoices", svc.ListInvoices),
			operation{id: "listInvoices", summary: "Invoices of a customer, newest first (by issued_at, then invoice_id)",
				params: []any{pref("CustomerID"), pref("Limit"), pref("Cursor")}, status: 200, result: "InvoiceList", errors: []string{"400", "404"}}},
		ingest("Invoices", "invoices", "Upsert a batch of the customer's invoices by invoice_id",
			handleIngest(func(b *struct {
				Records []json.RawMessage `json:"invoices"`
			}) []json.RawMessage {
				return b.Records
			}, "invoices", svc.IngestInvoices)),
		ingest("Payments", "payments", "Upsert a batch of the customer's payments and refunds by transaction_id",
			handleIngest(func(b *struct {
				Records []json.RawMessage `json:"payments"`
			}) []json.RawMessage {
				return b.Records
			}, "payments", svc.IngestPayments)),
		ingest("Usage", "usage", "Upsert a batch of daily usage of the customer's services by service_id and date",
			handleIngest(func(b *struct {
				Records []json.RawMessage `json:"usage"`
			}) []json.RawMessage {
				return b.Records
			}, "usage", svc.IngestUsage)),
		ingest("Tickets", "tickets", "Upsert a batch of the customer's support tickets by ticket_id",
			handleIngest(func(b *struct {
				Records []json.RawMessage `json:"tickets"`
			}) []json.RawMessage {
				return b.Records
			}, "tickets", svc.IngestTickets)),
		supportHistoryRoute(svc),
	}
}

// handleIngest serves POST of a feed batch: the body B holds the records
// under the feed's name (plural), records takes them out, and the answer
// is the counts. Each record is decoded on its own, as strictly as a whole
// body, so that a field it gets wrong is named with the record's index
// ("invoices[3].amount").
func handleIngest[B, In any](records func(b *B) []json.RawMessage, plural string, ingest func(ctx context.Context, customerID string, in []In) (analytics.Counts, error)) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		var body B
		if err := decode(r, &body); err != nil {
			return err
		}
		raw := records(&body)
		in := make([]In, len(raw))
		var p crm.Problems
		for i, rec := range raw {
			prefix := fmt.Sprintf("%s[%d]", plural, i)
			if _, err := decodeBody(rec, &in[i], nil, nil); err != nil {
				fields := crm.ErrorFields(err)
				if len(fields) == 0 {
					p.Add(prefix, "must be an object")
				}
				for _, f := range fields {
					p.Add(prefix+"."+f.Field, f.Message)
				}
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		counts, err := ingest(r.Context(), pathParam(r, "id"), in)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, counts)
		return nil
	})
}

// analyticsComponents are the schemas of the analytics module.
func analyticsComponents() components {
	sourceID := func(desc string) obj { return strLen(desc, 1, 100) }
	batch := func(key, item string) obj {
		return closed(object([]string{key}, obj{key: obj{"type": "array", "items": sref(item), "minItems": 1, "maxItems": analytics.MaxBatch}}))
	}
	count := func(desc string) obj { return obj{"type": "integer", "minimum": 0, "description": desc} }
	invoice := obj{
		"invoice_id":   sourceID("The billing system's id of the invoice."),
		"issued_at":    date(""),
		"due_date":     date("Not before issued_at."),
		"amount":       obj{"type": "number", "multipleOf": 0.01, "minimum": 0},
		"status":       enumOf("Default open.", analytics.InvoiceStatuses),
		"delivery":     enumOf("email is paperless billing. Default email.", analytics.Deliveries),
		"period_start": orNull(date("")),
		"period_end":   orNull(date("Not before period_start.")),
	}
	ticket := obj{
		"ticket_id":    sourceID("The helpdesk's id of the ticket."),
		"subject":      strLen("Redacted when the customer is deleted.", 0, 200),
		"category":     enumOf("Default other.", analytics.TicketCategories),
		"priority":     enumOf("Default normal.", analytics.TicketPriorities),
		"status":       enumOf("Default open.", analytics.TicketStatuses),
		"opened_at":    timestamp(""),
		"resolved_at":  orNull(timestamp("Not before opened_at.")),
		"satisfaction": orNull(integer("The customer's rating.", 1, 5)),
	}
	stored := func(props obj) obj {
		out := obj{"customer_id": obj{"type": "string", "format": "uuid"}, "created_at": timestamp(""), "updated_at": timestamp("")}
		for k, v := range props {
			out[k] = v
		}
		return out
	}
	return components{schemas: obj{
		"InvoiceInput": closed(object([]string{"invoice_id", "issued_at", "due_date", "amount"}, invoice)),
		"PaymentInput": closed(object([]string{"transaction_id", "amount", "paid_at", "payment_method"}, obj{
			"transaction_id": sourceID("The billing system's id of the payment."),
			"amount":         obj{"type": "number", "multipleOf": 0.01, "exclusiveMinimum": 0},
			"paid_at":        timestamp(""),
			"payment_method": enumOf("", analytics.PaymentMethods),
			"autopay":        boolean("Default false."),
			"status":         enumOf("refunded is a refund: a record of its own whose amount went back to the customer. Default succeeded.", analytics.PaymentStatuses),
			"invoice_id":     strLen("The invoice_id of the invoice paid; not checked against the stored invoices.", 0, 100),
			"failure_reason": strLen("", 0, 200),
			"notes":          strLen("", 0, 2000),
		})),
		"UsageInput": closed(object([]string{"service_id", "date", "download_bytes", "upload_bytes"}, obj{
			"service_id":     obj{"type": "string", "format": "uuid", "description": "A service of this customer."},
			"date":           date(""),
			"download_bytes": obj{"type": "integer", "minimum": 0},
			"upload_bytes":   obj{"type": "integer", "minimum": 0},
		})),
		"TicketInput":   closed(object([]string{"ticket_id", "opened_at"}, ticket)),
		"InvoicesBatch": batch("invoices", "InvoiceInput"),
		"PaymentsBatch": batch("payments", "PaymentInput"),
		"UsageBatch":    batch("usage", "UsageInput"),
		"TicketsBatch":  batch("tickets", "TicketInput"),
		"IngestResult": object([]string{"created", "updated", "unchanged"}, obj{
			"created":   count("Records new to the customer."),
			"updated":   count("Records that replaced a stored record with other fields."),
			"unchanged": count("Records already stored as they are."),
		}),
		"Invoice": object([]string{"customer_id", "invoice_id", "issued_at", "due_date", "amount", "status", "delivery",
			"period_start", "period_end", "created_at", "updated_at"}, stored(invoice)),
		"InvoiceList": page("invoices", "Invoice"),
		"Ticket": object([]string{"customer_id", "ticket_id", "subject", "category", "priority", "status", "opened_at",
			"resolved_at", "satisfaction", "created_at", "updated_at"}, stored(ticket)),
		"SupportHistory": supportHistorySchema(),
	}}
}
