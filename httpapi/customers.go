package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/customer"
)

// customersModule serves customers, their lifecycle, status history,
// audit trail and services. It is always on: Config.Services.Customers is
// required.
var customersModule = module{
	on:         func(*app.Services) bool { return true },
	routes:     customerRoutes,
	components: customerComponents,
}

// customerRoutes are the routes of the customers module.
func customerRoutes(s *server) []route {
	svc := s.services.Customers
	services := subscriptionResource(svc)
	return []route{
		{http.MethodGet, "/api/v1/customers", RoleViewer, handleCustomerList(svc, s.services.Analytics),
			operation{id: "listCustomers", summary: "List customers (filters, sort, keyset pagination)",
				params: listParameters(s.services.Analytics != nil), status: 200, result: "CustomerList", errors: listErrors(s.services.Analytics != nil)}},
		{http.MethodPost, "/api/v1/customers", RoleAgent, handleCustomerCreate(svc, s.basePath),
			operation{id: "createCustomer", summary: "Create a customer",
				params: []any{pref("IdempotencyKey")}, body: "Input", status: 201, result: "Customer", etag: true, location: true,
				errors: []string{"400", "409", "413", "415", "422"}}},
		{http.MethodGet, "/api/v1/customers/:id", RoleViewer, handleCustomerGet(svc),
			operation{id: "getCustomer", summary: "Get a customer with related data",
				params: []any{pref("CustomerID"), flagParam("include_services", true), flagParam("include_billing", true),
					flagParam("include_metrics", true), flagParam("include_tickets", false)},
				status: 200, result: "CustomerDetails", etag: true, errors: []string{"400", "404"}}},
		{http.MethodPut, "/api/v1/customers/:id", RoleAgent, handleCustomerReplace(svc),
			operation{id: "replaceCustomer", summary: "Replace the writable fields of a customer",
				params: []any{pref("CustomerID"), pref("IfMatch")}, body: "Input", status: 200, result: "Customer", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415"}}},
		{http.MethodPatch, "/api/v1/customers/:id", RoleAgent, handleCustomerPatch(svc),
			operation{id: "patchCustomer", summary: "Update a customer with a JSON merge patch",
				params: []any{pref("CustomerID"), pref("IfMatch")}, body: "CustomerPatch", patch: true, status: 200, result: "Customer", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415"}}},
		{http.MethodDelete, "/api/v1/customers/:id", RoleAdmin, handleCustomerDelete(svc),
			operation{id: "deleteCustomer", summary: "Close a customer and erase its personal data",
				params: []any{pref("CustomerID"), pref("IfMatch"), obj{"name": "force", "in": "query",
					"description": "Cancel active services instead of refusing (409).", "schema": obj{"type": "boolean", "default": false}}},
				status: 204, errors: []string{"400", "404", "409", "412"}}},
		{http.MethodPost, "/api/v1/customers/:id/suspend", RoleAgent, handleCustomerSuspend(svc),
			operation{id: "suspendCustomer", summary: "Suspend a customer and its active services",
				params: []any{pref("CustomerID"), pref("IfMatch"), pref("IdempotencyKey")}, body: "SuspendInput", status: 200, result: "Customer", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415", "422"}}},
		{http.MethodPost, "/api/v1/customers/:id/reactivate", RoleAgent, handleCustomerReactivate(svc),
			operation{id: "reactivateCustomer", summary: "Reactivate a suspended customer and restore its services",
				params: []any{pref("CustomerID"), pref("IfMatch"), pref("IdempotencyKey")}, body: "ReactivateInput", optional: true,
				status: 200, result: "Customer", etag: true, errors: []string{"400", "404", "409", "412", "413", "415", "422"}}},
		{http.MethodGet, "/api/v1/customers/:id/status-history", RoleViewer, handleStatusHistory(svc),
			operation{id: "getStatusHistory", summary: "Status changes of a customer, oldest first",
				params: []any{pref("CustomerID")}, status: 200, result: "StatusHistory", errors: []string{"404"}}},
		{http.MethodGet, "/api/v1/customers/:id/audit", RoleAdmin, handleChildList("audit_entries", svc.Audit), // newest first, PII masked, readable after delete
			operation{id: "listAuditEntries", summary: "Audit trail of a customer, newest first (personal data masked)",
				params: []any{pref("CustomerID"), pref("Limit"), pref("Cursor")}, status: 200, result: "AuditEntryList", errors: []string{"400", "404"}}},

		{http.MethodGet, "/api/v1/customers/:id/services", RoleViewer, handleChildList("services", svc.ListSubscriptions), // oldest first
			operation{id: "listServices", summary: "Services of a customer, oldest first",
				params: []any{pref("CustomerID"), pref("Limit"), pref("Cursor")}, status: 200, result: "ServiceList", errors: []string{"400", "404"}}},
		{http.MethodPost, "/api/v1/customers/:id/services", RoleAgent, services.handleCreate(svc.AddSubscription, s.basePath),
			operation{id: "createService", summary: "Record a service of a customer (backdated start dates accepted)",
				params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: "ServiceInput", status: 201, result: "Service", etag: true, location: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodGet, "/api/v1/customers/:id/services/:service_id", RoleViewer, services.handleGet(),
			operation{id: "getService", summary: "Get a service of a customer",
				params: []any{pref("CustomerID"), pref("ServiceID")}, status: 200, result: "Service", etag: true, errors: []string{"404"}}},
		{http.MethodPatch, "/api/v1/customers/:id/services/:service_id", RoleAgent, services.handlePatch(),
			operation{id: "patchService", summary: "Update a service with a JSON merge patch",
				params: []any{pref("CustomerID"), pref("ServiceID"), pref("IfMatch")}, body: "ServicePatch", patch: true, status: 200, result: "Service", etag: true,
				errors: []string{"400", "404", "409", "412", "413", "415"}}},
	}
}

// customerOwned are the fields of a customer that only the server writes;
// a request body naming one is 400. Besides API.md's list they include the
// read-only parts of GET /customers/{id}, so a client that sends back what
// it read learns exactly what to drop.
var customerOwned = []string{
	"id", "account_number", "status", "version", "created_at", "updated_at", "tax_id_last4",
	"suspension", "services", "services_has_more", "billing_summary", "account_metrics", "support_tickets",
}

// decodeCustomer decodes the body of POST and PUT /customers: the writable
// fields (customer.Input) plus the write-only tax_id.
func decodeCustomer(r *http.Request) (customer.Input, error) {
	var in customer.Input
	writeOnly, err := decodeWriteOnly(r, &in, customerOwned, []string{"tax_id"})
	if err != nil {
		return in, err
	}
	in.TaxID, err = taxIDArg(writeOnly["tax_id"])
	return in, err
}

// taxIDArg turns the raw tax_id of a request into customer.Input.TaxID:
// absent keeps (nil), null clears (""), a string sets.
func taxIDArg(raw json.RawMessage) (*string, error) {
	if raw == nil {
		return nil, nil
	}
	if string(raw) == "null" {
		clear := ""
		return &clear, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, invalid("tax_id", "must be a string or null")
	}
	if s == "" {
		return nil, invalid("tax_id", "must not be empty; send null to remove the tax id")
	}
	return &s, nil
}

// listParams are the query parameters of GET /customers besides its
// filter conditions (customer.FilterParams).
var listParams = []string{"sort", "limit", "cursor", "include_total"}

// handleCustomerList serves GET /customers: filters, sort and keyset
// pagination. With an analytics service it also takes the analytics
// filters and segment_id; only a request that uses one goes through the
// analytics list (which joins the profiles): the plain list stays a read
// of customers alone.
func handleCustomerList(svc *customer.Service, an *analytics.Service) http.Handler {
	allowed := slices.Concat(customer.FilterParams, listParams)
	if an != nil {
		allowed = slices.Concat(allowed, analytics.ProfileFilterParams, []string{"segment_id"})
	}
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, allowed...)
		f, profile := readConditions(q, an != nil)
		p := customer.ListParams{Filter: f, Cursor: q.cursor(), Limit: q.limit(), IncludeTotal: q.flag("include_total", false)}
		sort, err := customer.ParseSort(q.str("sort"))
		q.p = append(q.p, crm.ErrorFields(err)...)
		p.Filter.Sort = sort
		segmentID := q.segmentID()
		if err := q.err(); err != nil {
			return err
		}
		var page *crm.Page[customer.Customer]
		if an != nil && (!profile.IsZero() || q.has("segment_id")) {
			page, err = an.ListCustomers(r.Context(), analytics.ListParams{ListParams: p, Profile: profile, SegmentID: segmentID})
		} else {
			page, err = svc.List(r.Context(), p)
		}
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, pageBody[customer.Customer]{"customers", page})
		return nil
	})
}

// handleCustomerCreate serves POST /customers: 201 with Location, ETag and
// the customer.
func handleCustomerCreate(svc *customer.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		in, err := decodeCustomer(r)
		if err != nil {
			return err
		}
		if in.TaxID != nil && *in.TaxID == "" {
			in.TaxID = nil // null on create: no tax id
		}
		c, err := svc.Create(r.Context(), in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", basePath+customerPath(c.ID))
		setETag(w, c.Version)
		encode(w, r, http.StatusCreated, c)
		return nil
	})
}

// customerDetails is the body of GET /customers/{id}: the customer with the
// related data asked for. A key that was not asked for is omitted, not
// empty.
type customerDetails struct {
	*customer.Customer
	Services        *[]customer.Subscription  `json:"services,omitempty"`
	ServicesHasMore *bool                     `json:"services_has_more,omitempty"`
	BillingSummary  *customer.BillingSummary  `json:"billing_summary,omitempty"`
	AccountMetrics  *customer.AccountMetrics  `json:"account_metrics,omitempty"`
	SupportTickets  *[]customer.SupportTicket `json:"support_tickets,omitempty"`
}

// handleCustomerGet serves GET /customers/{id} with ETag and the
// include_services, include_billing, include_metrics and include_tickets
// flags.
func handleCustomerGet(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "include_services", "include_billing", "include_metrics", "include_tickets")
		opts := customer.DetailOptions{
			Subscriptions: q.flag("include_services", true),
			Billing:       q.flag("include_billing", true),
			Metrics:       q.flag("include_metrics", true),
			Tickets:       q.flag("include_tickets", false),
		}
		if err := q.err(); err != nil {
			return err
		}
		d, err := svc.Details(r.Context(), pathParam(r, "id"), opts)
		if err != nil {
			return err
		}
		out := customerDetails{Customer: d.Customer, BillingSummary: d.Billing, AccountMetrics: d.Metrics}
		if opts.Subscriptions {
			services := d.Subscriptions
			if services == nil {
				services = []customer.Subscription{}
			}
			out.Services, out.ServicesHasMore = &services, &d.SubscriptionsTruncated
		}
		if opts.Tickets {
			tickets := d.Tickets
			if tickets == nil {
				tickets = []customer.SupportTicket{}
			}
			out.SupportTickets = &tickets
		}
		setETag(w, d.Customer.Version)
		encode(w, r, http.StatusOK, out)
		return nil
	})
}

// handleCustomerReplace serves PUT /customers/{id}: the full writable
// representation, validated as on create; an absent tax_id keeps the
// stored one, null clears it. If-Match is checked inside the transaction.
func handleCustomerReplace(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "id")
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		in, err := decodeCustomer(r)
		if err != nil {
			return err
		}
		version, err := pre.ifVersion(currentCustomerVersion(r.Context(), svc, id))
		if err != nil {
			return err
		}
		c, err := svc.Replace(r.Context(), id, in, version)
		if err != nil {
			return err
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
		return nil
	})
}

// handleCustomerPatch serves PATCH /customers/{id}: a JSON merge patch (RFC
// 7396) of the writable representation (customer.InputOf), validated as a
// replace. tax_id in the patch: absent keeps, null clears, a string sets.
// With If-Match the patch applies only to that version; without it, to the
// current one.
func handleCustomerPatch(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "id")
		pre, err := writePrecondition(r)
		if err != nil {
			return err
		}
		patch, err := readMergePatch(r, &customer.Input{}, customerOwned, []string{"tax_id"})
		if err != nil {
			return err
		}
		taxID, err := taxIDArg(patch.writeOnly["tax_id"])
		if err != nil {
			return err
		}
		c, err := patchCustomer(r.Context(), svc, id, pre, patch, taxID)
		if err != nil {
			return err
		}
		setETag(w, c.Version)
		encode(w, r, http.StatusOK, c)
		return nil
	})
}

// patchCustomer applies a merge patch, and the tax id it carries, to the
// writable fields of customer id under pre, merged and written under the
// customer's lock: the work of PATCH /customers/{id}. Without If-Match it
// applies to whatever version is current.
func patchCustomer(ctx context.Context, svc *customer.Service, id string, pre precondition, patch *mergePatch, taxID *string) (*customer.Customer, error) {
	version, err := pre.ifVersion(func() (int64, error) {
		c, err := svc.Get(ctx, id)
		if err != nil {
			return 0, err
		}
		return c.Version, nil
	})
	if err != nil {
		return nil, err
	}
	merge := patchEdit[customer.Input](patch)
	return svc.Update(ctx, id, version, func(in *customer.Input) error {
		if err := merge(in); err != nil {
			return err
		}
		in.TaxID = taxID
		return nil
	})
}

// handleCustomerDelete serves DELETE /customers/{id}: closes the account
// and erases its personal data; 204. Active services block it (409)
// unless force=true. If-Match, when sent, must name the current version.
func handleCustomerDelete(svc *customer.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		id := pathParam(r, "id")
		q := parseQuery(r, "force")
		force := q.flag("force", false)
		if err := q.err(); err != nil {
			return err
		}
		ifVersion, err := ifMatchVersion(r, svc, id)
		if err != nil {
			return err
		}
		if err := svc.Delete(r.Context(), id, customer.DeleteOptions{Force: force, IfVersion: ifVersion}); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

// ifMatchVersion is the version a customer write must find, from If-Match
// (0 for none); the service checks it inside its transaction.
func ifMatchVersion(r *http.Request, svc *customer.Service, id string) (int64, error) {
	pre, err := parseIfMatch(r)
	if err != nil {
		return 0, err
	}
	return pre.ifVersion(currentCustomerVersion(r.Context(), svc, id))
}

// currentCustomerVersion reads the version of a customer when a
// precondition needs it.
func currentCustomerVersion(ctx context.Context, svc *customer.Service, id string) func() (int64, error) {
	return func() (int64, error) {
		c, err := svc.Get(ctx, id)
		if err != nil {
			return 0, err
		}
		return c.Version, nil
	}
}

// customerPath is the URL path of a customer.
func customerPath(id string) string { return customersPrefix + id }
