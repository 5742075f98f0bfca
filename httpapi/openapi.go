package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/contact"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/document"
)

// handleOpenAPI serves GET /api/v1/openapi.json: the OpenAPI 3.1 document
// of every route, without a key.
func handleOpenAPI(doc []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(doc)
	})
}

// obj is a JSON object of the document.
type obj = map[string]any

// operation describes one route for the document.
type operation struct {
	id, summary string
	role        Role     // least role; "" for public routes
	params      []any    // parameter objects or $refs
	body        string   // request schema name; "" for none
	form        string   // multipart/form-data request schema name; "" for none
	patch       bool     // the body is a JSON merge patch
	optional    bool     // the body may be omitted
	status      int      // success status
	result      string   // success schema name; "" for no content
	binary      bool     // the success body is a file (ranges supported)
	etag        bool     // the success response carries ETag
	location    bool     // the success response carries Location
	errors      []string // problem statuses besides 401, 403, 429 and 500
}

// operations documents every route, keyed like the route table ("METHOD
// pattern"). The tests check that it and the router list the same routes.
var operations = map[string]operation{
	"GET /healthz": {id: "getHealth", summary: "Liveness probe", status: 200, result: "Health"},
	"GET /readyz": {id: "getReadiness", summary: "Readiness probe: the store is reachable",
		status: 200, result: "Health", errors: []string{"503"}},
	"GET /api/v1/openapi.json": {id: "getOpenAPI", summary: "This OpenAPI document", status: 200},

	"GET /api/v1/customers": {id: "listCustomers", summary: "List customers (filters, sort, keyset pagination)", role: RoleViewer,
		params: listParameters(), status: 200, result: "CustomerList", errors: []string{"400"}},
	"POST /api/v1/customers": {id: "createCustomer", summary: "Create a customer", role: RoleAgent,
		params: []any{pref("IdempotencyKey")}, body: "Input", status: 201, result: "Customer", etag: true, location: true,
		errors: []string{"400", "409", "413", "415", "422"}},
	"GET /api/v1/customers/:id": {id: "getCustomer", summary: "Get a customer with related data", role: RoleViewer,
		params: []any{pref("CustomerID"), flagParam("include_services", true), flagParam("include_billing", true),
			flagParam("include_metrics", true), flagParam("include_tickets", false)},
		status: 200, result: "CustomerDetails", etag: true, errors: []string{"400", "404"}},
	"PUT /api/v1/customers/:id": {id: "replaceCustomer", summary: "Replace the writable fields of a customer", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IfMatch")}, body: "Input", status: 200, result: "Customer", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415"}},
	"PATCH /api/v1/customers/:id": {id: "patchCustomer", summary: "Update a customer with a JSON merge patch", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IfMatch")}, body: "CustomerPatch", patch: true, status: 200, result: "Customer", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415"}},
	"DELETE /api/v1/customers/:id": {id: "deleteCustomer", summary: "Close a customer and erase its personal data", role: RoleAdmin,
		params: []any{pref("CustomerID"), pref("IfMatch"), obj{"name": "force", "in": "query",
			"description": "Cancel active services instead of refusing (409).", "schema": obj{"type": "boolean", "default": false}}},
		status: 204, errors: []string{"400", "404", "409", "412"}},
	"POST /api/v1/customers/:id/suspend": {id: "suspendCustomer", summary: "Suspend a customer and its active services", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IfMatch"), pref("IdempotencyKey")}, body: "SuspendInput", status: 200, result: "Customer", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415", "422"}},
	"POST /api/v1/customers/:id/reactivate": {id: "reactivateCustomer", summary: "Reactivate a suspended customer and restore its services", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IfMatch"), pref("IdempotencyKey")}, body: "ReactivateInput", optional: true,
		status: 200, result: "Customer", etag: true, errors: []string{"400", "404", "409", "412", "413", "415", "422"}},
	"GET /api/v1/customers/:id/status-history": {id: "getStatusHistory", summary: "Status changes of a customer, oldest first", role: RoleViewer,
		params: []any{pref("CustomerID")}, status: 200, result: "StatusHistory", errors: []string{"404"}},
	"GET /api/v1/customers/:id/audit": {id: "listAuditEntries", summary: "Audit trail of a customer, newest first (personal data masked)", role: RoleAdmin,
		params: []any{pref("CustomerID"), pref("Limit"), pref("Cursor")}, status: 200, result: "AuditEntryList", errors: []string{"400", "404"}},
	"GET /api/v1/customers/:id/services": {id: "listServices", summary: "Services of a customer, oldest first", role: RoleViewer,
		params: []any{pref("CustomerID"), pref("Limit"), pref("Cursor")}, status: 200, result: "ServiceList", errors: []string{"400", "404"}},
	"POST /api/v1/customers/:id/services": {id: "createService", summary: "Record a service of a customer (backdated start dates accepted)", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: "ServiceInput", status: 201, result: "Service", etag: true, location: true,
		errors: []string{"400", "404", "409", "413", "415", "422"}},
	"GET /api/v1/customers/:id/services/:service_id": {id: "getService", summary: "Get a service of a customer", role: RoleViewer,
		params: []any{pref("CustomerID"), pref("ServiceID")}, status: 200, result: "Service", etag: true, errors: []string{"404"}},
	"PATCH /api/v1/customers/:id/services/:service_id": {id: "patchService", summary: "Update a service with a JSON merge patch", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("ServiceID"), pref("IfMatch")}, body: "ServicePatch", patch: true, status: 200, result: "Service", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415"}},

	"GET /api/v1/customers/:id/contacts": {id: "listContacts", summary: "Contacts of a customer, oldest first", role: RoleViewer,
		params: []any{pref("CustomerID"), queryParam("contact_type", enumOf("Only contacts of this type.", contact.Types)), pref("Limit"), pref("Cursor")},
		status: 200, result: "ContactList", errors: []string{"400", "404"}},
	"POST /api/v1/customers/:id/contacts": {id: "createContact", summary: "Add a contact to a customer (a primary one demotes the previous primary of its type)", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IdempotencyKey")}, body: "ContactInput", status: 201, result: "Contact", etag: true, location: true,
		errors: []string{"400", "404", "409", "413", "415", "422"}},
	"GET /api/v1/customers/:id/contacts/:contact_id": {id: "getContact", summary: "Get a contact of a customer", role: RoleViewer,
		params: []any{pref("CustomerID"), pref("ContactID")}, status: 200, result: "Contact", etag: true, errors: []string{"400", "404"}},
	"PUT /api/v1/customers/:id/contacts/:contact_id": {id: "replaceContact", summary: "Replace the writable fields of a contact", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("ContactID"), pref("IfMatch")}, body: "ContactInput", status: 200, result: "Contact", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415"}},
	"PATCH /api/v1/customers/:id/contacts/:contact_id": {id: "patchContact", summary: "Update a contact with a JSON merge patch", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("ContactID"), pref("IfMatch")}, body: "ContactPatch", patch: true, status: 200, result: "Contact", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415"}},
	"DELETE /api/v1/customers/:id/contacts/:contact_id": {id: "deleteContact", summary: "Delete a contact (the audit trail keeps a masked record)", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("ContactID"), pref("IfMatch")}, status: 204, errors: []string{"400", "404", "412"}},

	"GET /api/v1/customers/:id/documents": {id: "listDocuments", summary: "Documents of a customer, oldest first (active only by default)", role: RoleViewer,
		params: []any{pref("CustomerID"), queryParam("document_type", enumOf("", document.Types)),
			queryParam("active_only", obj{"type": "boolean", "default": true, "description": "false lists deactivated documents too."}),
			queryParam("expiring_before", date("Documents whose expiration_date is strictly before this date.")),
			pref("Limit"), pref("Cursor")},
		status: 200, result: "DocumentList", errors: []string{"400", "404"}},
	"POST /api/v1/customers/:id/documents": {id: "uploadDocument", summary: "Upload a document (multipart/form-data, streamed; type sniffed from the content)", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("IdempotencyKey")}, form: "DocumentUpload", status: 201, result: "Document", etag: true, location: true,
		errors: []string{"400", "404", "409", "413", "415", "422"}},
	"GET /api/v1/customers/:id/documents/:document_id": {id: "getDocument", summary: "Get a document's metadata (deactivated ones too)", role: RoleViewer,
		params: []any{pref("CustomerID"), pref("DocumentID")}, status: 200, result: "Document", etag: true, errors: []string{"404"}},
	"PATCH /api/v1/customers/:id/documents/:document_id": {id: "patchDocument", summary: "Update a document's metadata with a JSON merge patch", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("DocumentID"), pref("IfMatch")}, body: "DocumentPatch", patch: true, status: 200, result: "Document", etag: true,
		errors: []string{"400", "404", "409", "412", "413", "415"}},
	"DELETE /api/v1/customers/:id/documents/:document_id": {id: "deactivateDocument", summary: "Deactivate a document (listed again with active_only=false; content no longer served)", role: RoleAgent,
		params: []any{pref("CustomerID"), pref("DocumentID"), pref("IfMatch")}, status: 204, errors: []string{"404", "412"}},
	"GET /api/v1/customers/:id/documents/:document_id/content": {id: "getDocumentContent", summary: "Download a document's file (Range supported; 404 once deactivated; 409 until scanned clean)", role: RoleViewer,
		params: []any{pref("CustomerID"), pref("DocumentID"), obj{"name": "Range", "in": "header", "schema": obj{"type": "string"},
			"description": "A byte range (bytes=0-99): 206 with Content-Range, or 416 when it cannot be satisfied."}},
		status: 200, binary: true, etag: true, errors: []string{"404", "409"}},
}

// pathParams maps httprouter wildcards to the document's parameter names.
var pathParams = map[string]string{"id": "customer_id", "service_id": "service_id", "contact_id": "contact_id", "document_id": "document_id"}

// openAPIPath turns an httprouter pattern into an OpenAPI path template.
func openAPIPath(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			if p, ok := pathParams[name]; ok {
				name = p
			}
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

// openAPIJSON renders the document.
func openAPIJSON() ([]byte, error) {
	return json.MarshalIndent(openAPIDocument(), "", "  ")
}

// openAPIDocument builds the OpenAPI 3.1 document from operations.
func openAPIDocument() obj {
	paths := obj{}
	for key, op := range operations {
		method, pattern, _ := strings.Cut(key, " ")
		p := openAPIPath(pattern)
		item, _ := paths[p].(obj)
		if item == nil {
			item = obj{}
			paths[p] = item
		}
		item[strings.ToLower(method)] = op.render()
	}
	return obj{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": obj{
			"title":   "ISP customer management API",
			"version": "1.0.0",
			"description": "Customers, their lifecycle, services, contacts and documents. Errors are RFC 9457 problem documents. " +
				"Authenticate with Authorization: Bearer <key>; roles viewer < agent < admin.",
			"license": obj{"name": "Apache-2.0", "identifier": "Apache-2.0"},
		},
		"servers":  []any{obj{"url": "/"}},
		"security": []any{obj{"apiKey": []any{}}},
		"paths":    paths,
		"components": obj{
			"securitySchemes": obj{"apiKey": obj{"type": "http", "scheme": "bearer",
				"description": "An API key from API_KEYS, sent as a bearer token."}},
			"parameters": parameters(),
			"headers": obj{
				"ETag":     obj{"description": "Strong entity tag of the resource version, for If-Match.", "schema": obj{"type": "string"}},
				"Location": obj{"description": "Path of the created resource.", "schema": obj{"type": "string"}},
			},
			"responses": obj{
				"Problem": obj{"description": "An error (RFC 9457 problem document).",
					"content": obj{"application/problem+json": obj{"schema": sref("Problem")}}},
				"RateLimited": obj{"description": "Too many requests for this API key.",
					"headers": obj{"Retry-After": obj{"description": "Seconds to wait.", "schema": obj{"type": "integer"}}},
					"content": obj{"application/problem+json": obj{"schema": sref("Problem")}}},
				"PartialContent": obj{"description": "The requested byte range of the file.",
					"headers": obj{"Content-Range": obj{"description": "The range sent.", "schema": obj{"type": "string"}}},
					"content": obj{"*/*": obj{"schema": obj{"description": "Bytes of the file."}}}},
				"RangeNotSatisfiable": obj{"description": "The Range lies outside the file.",
					"headers": obj{"Content-Range": obj{"description": "bytes */<size>.", "schema": obj{"type": "string"}}},
					"content": obj{"text/plain": obj{"schema": obj{"type": "string"}}}},
				"MethodNotAllowed": obj{"description": "The path does not support the method.",
					"headers": obj{"Allow": obj{"description": "Supported methods.", "schema": obj{"type": "string"}}},
					"content": obj{"application/problem+json": obj{"schema": sref("Problem")}}},
			},
			"schemas": schemas(),
		},
	}
}

// render returns the Operation Object of op.
func (op operation) render() obj {
	o := obj{"operationId": op.id, "summary": op.summary}
	if op.role == "" {
		o["security"] = []any{}
	} else {
		o["description"] = "Needs the " + string(op.role) + " role or higher."
	}
	if len(op.params) > 0 {
		o["parameters"] = op.params
	}
	if op.body != "" {
		media := obj{"application/json": obj{"schema": sref(op.body)}}
		if op.patch {
			media["application/merge-patch+json"] = obj{"schema": sref(op.body)}
		}
		o["requestBody"] = obj{"required": !op.optional, "content": media}
	}
	if op.form != "" {
		o["requestBody"] = obj{"required": true, "content": obj{"multipart/form-data": obj{
			"schema":   sref(op.form),
			"encoding": obj{"file": obj{"contentType": strings.Join(uploadTypes, ", ")}},
		}}}
	}
	ok := obj{"description": http.StatusText(op.status)}
	if op.binary {
		ok["content"] = obj{"*/*": obj{"schema": obj{"description": "The file; Content-Type is its sniffed mime_type."}}}
	} else if op.result != "" {
		ok["content"] = obj{"application/json": obj{"schema": sref(op.result)}}
	} else if op.status == http.StatusOK {
		ok["content"] = obj{"application/json": obj{"schema": obj{"type": "object"}}}
	}
	headers := obj{}
	if op.etag {
		headers["ETag"] = obj{"$ref": "#/components/headers/ETag"}
	}
	if op.location {
		headers["Location"] = obj{"$ref": "#/components/headers/Location"}
	}
	if op.binary {
		headers["Content-Disposition"] = obj{"description": "attachment, with filename and RFC 5987 filename*.", "schema": obj{"type": "string"}}
	}
	if len(headers) > 0 {
		ok["headers"] = headers
	}
	responses := obj{itoa(op.status): ok}
	if op.binary {
		responses["206"] = obj{"$ref": "#/components/responses/PartialContent"}
		responses["416"] = obj{"$ref": "#/components/responses/RangeNotSatisfiable"}
	}
	problem := obj{"$ref": "#/components/responses/Problem"}
	for _, s := range op.errors {
		responses[s] = problem
	}
	if op.role != "" {
		responses["401"], responses["403"] = problem, problem
		responses["429"] = obj{"$ref": "#/components/responses/RateLimited"}
	}
	responses["405"] = obj{"$ref": "#/components/responses/MethodNotAllowed"}
	responses["500"] = problem
	o["responses"] = responses
	return o
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func pref(name string) obj    { return obj{"$ref": "#/components/parameters/" + name} }
func sref(name string) obj    { return obj{"$ref": "#/components/schemas/" + name} }
func str(desc string) obj     { return obj{"type": "string", "description": desc} }
func orNull(s obj) obj        { return obj{"anyOf": []any{s, obj{"type": "null"}}} }
func arrayOf(s obj) obj       { return obj{"type": "array", "items": s} }
func boolean(desc string) obj { return obj{"type": "boolean", "description": desc} }

func strLen(desc string, min, max int) obj {
	s := str(desc)
	if min > 0 {
		s["minLength"] = min
	}
	s["maxLength"] = max
	return s
}

func integer(desc string, min, max int) obj {
	return obj{"type": "integer", "description": desc, "minimum": min, "maximum": max}
}

// anyJSON is any JSON value, null included.
func anyJSON(desc string) obj {
	return obj{"type": []any{"string", "number", "boolean", "object", "array", "null"}, "description": desc}
}

func timestamp(desc string) obj {
	return obj{"type": "string", "format": "date-time", "description": desc}
}
func date(desc string) obj  { return obj{"type": "string", "format": "date", "description": desc} }
func money(desc string) obj { return obj{"type": "number", "multipleOf": 0.01, "description": desc} }

func enumOf[T ~string](desc string, values []T) obj {
	e := make([]any, len(values))
	for i, v := range values {
		e[i] = string(v)
	}
	return obj{"type": "string", "enum": e, "description": desc}
}

func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// closed forbids properties that are not listed, as the decoder does.
func closed(o obj) obj { o["additionalProperties"] = false; return o }

func flagParam(name string, def bool) obj {
	return obj{"name": name, "in": "query", "schema": obj{"type": "boolean", "default": def},
		"description": "false omits the key from the response."}
}

func queryParam(name string, schema obj) obj {
	return obj{"name": name, "in": "query", "schema": schema}
}

// listParameters are the query parameters of GET /customers.
func listParameters() []any {
	return []any{
		queryParam("status", enumOf("", customer.Statuses)),
		queryParam("customer_type", enumOf("", customer.Types)),
		queryParam("q", strLen("Search over name, email, phone, account number and company.", 0, 100)),
		queryParam("created_after", timestamp("RFC 3339.")),
		queryParam("created_before", timestamp("RFC 3339.")),
		queryParam("city", str("Billing address city, case-insensitive.")),
		queryParam("state", str("Billing address state, case-insensitive.")),
		queryParam("postal_code", str("Billing address postal code.")),
		queryParam("min_credit_score", integer("", 300, 850)),
		queryParam("max_credit_score", integer("", 300, 850)),
		queryParam("preferred_contact", enumOf("", customer.ContactMethods)),
		queryParam("sort", obj{"type": "string", "pattern": "^-?(name|created_at|credit_score|account_number)$",
			"default": "created_at", "description": "Sort field, prefixed with - for descending."}),
		pref("Limit"),
		pref("Cursor"),
		queryParam("include_total", obj{"type": "boolean", "default": false, "description": "Adds total_count."}),
	}
}

// parameters are the shared parameter components.
func parameters() obj {
	return obj{
		"CustomerID": obj{"name": "customer_id", "in": "path", "required": true, "schema": obj{"type": "string", "format": "uuid"}},
		"ServiceID":  obj{"name": "service_id", "in": "path", "required": true, "schema": obj{"type": "string", "format": "uuid"}},
		"ContactID":  obj{"name": "contact_id", "in": "path", "required": true, "schema": obj{"type": "string", "format": "uuid"}},
		"DocumentID": obj{"name": "document_id", "in": "path", "required": true, "schema": obj{"type": "string", "format": "uuid"}},
		"Limit": obj{"name": "limit", "in": "query", "description": "Page size.",
			"schema": obj{"type": "integer", "minimum": 1, "maximum": crm.MaxLimit, "default": crm.DefaultLimit}},
		"Cursor": obj{"name": "cursor", "in": "query", "description": "next_cursor of the previous page.",
			"schema": obj{"type": "string"}},
		"IdempotencyKey": obj{"name": "Idempotency-Key", "in": "header",
			"description": "Makes the POST safe to retry for 24 h: the same key and body replay the first response (Idempotent-Replayed: true); another body is 422; while the first runs, 409.",
			"schema":      obj{"type": "string", "minLength": 1, "maxLength": maxIdempotencyKey}},
		"IfMatch": obj{"name": "If-Match", "in": "header",
			"description": "ETag of the version the change is based on; a stale one is 412 and changes nothing.",
			"schema":      obj{"type": "string"}},
	}
}

// uploadTypes are the content types an upload may have, for the document.
var uploadTypes = []string{"application/pdf", "image/png", "image/jpeg", "image/tiff",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain"}

// documentMetadataProps are the writable metadata of a document.
func documentMetadataProps() obj {
	return obj{
		"name":               strLen("", 1, 200),
		"document_type":      enumOf("", document.Types),
		"expiration_date":    orNull(date("")),
		"requires_signature": boolean(""),
		"signature_status":   enumOf("not_required exactly when requires_signature is false.", document.SignatureStatuses),
		"tags":               obj{"type": "array", "maxItems": document.MaxTags, "items": strLen("", 1, document.MaxTagLength)},
	}
}

// documentSchema is the Document schema: metadata, file facts and state.
func documentSchema() obj {
	props := documentMetadataProps()
	props["id"] = obj{"type": "string", "format": "uuid"}
	props["customer_id"] = obj{"type": "string", "format": "uuid"}
	props["file_url"] = str("Path of the content (GET it with the same key).")
	props["file_size"] = obj{"type": "integer", "minimum": 1}
	props["mime_type"] = str("Sniffed from the content.")
	props["sha256"] = obj{"type": "string", "pattern": "^[0-9a-f]{64}$"}
	props["upload_date"] = timestamp("")
	props["uploaded_by"] = str("API key id.")
	props["is_active"] = boolean("false once deactivated.")
	props["scan_status"] = enumOf("not_scanned without a malware scanner; content is served only when not_scanned or clean.", document.ScanStatuses)
	props["version"] = obj{"type": "integer", "minimum": 1}
	props["updated_at"] = timestamp("")
	return object([]string{"id", "customer_id", "name", "document_type", "file_url", "file_size", "mime_type", "sha256",
		"upload_date", "uploaded_by", "expiration_date", "is_active", "requires_signature", "signature_status", "tags",
		"scan_status", "version", "updated_at"}, props)
}

// schemas are the schema components.
func schemas() obj {
	address := object([]string{"street", "city", "state", "postal_code", "country"}, obj{
		"street":      strLen("", 1, 200),
		"unit":        strLen("", 0, 50),
		"city":        strLen("", 1, 100),
		"state":       strLen("Two-letter code for US addresses.", 1, 100),
		"postal_code": strLen("ZIP code for US addresses.", 1, 20),
		"country":     obj{"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "ISO 3166-1 alpha-2."},
		"coordinates": sref("Coordinates"),
	})
	prefs := object([]string{"marketing_emails", "service_notifications", "billing_reminders", "outage_alerts"}, obj{
		"marketing_emails":      boolean(""),
		"service_notifications": boolean(""),
		"billing_reminders":     boolean(""),
		"outage_alerts":         boolean(""),
	})
	emergency := object([]string{"name", "phone"}, obj{
		"name":         strLen("", 1, 100),
		"relationship": strLen("", 0, 50),
		"phone":        strLen("Normalised to E.164.", 10, 20),
		"email":        obj{"type": "string", "format": "email"},
	})
	inputProps := func() obj {
		return obj{
			"name":                      strLen("", 1, 100),
			"email":                     obj{"type": "string", "format": "email", "maxLength": 254},
			"phone":                     strLen("Normalised to E.164.", 10, 20),
			"customer_type":             enumOf("", customer.Types),
			"billing_address":           sref("Address"),
			"service_address":           orNull(sref("Address")),
			"tax_id":                    obj{"type": []any{"string", "null"}, "writeOnly": true, "description": "SSN (residential) or EIN (others). Write-only: absent keeps, null clears."},
			"company":                   strLen("", 0, 100),
			"industry":                  strLen("", 0, 50),
			"credit_score":              obj{"type": []any{"integer", "null"}, "minimum": 300, "maximum": 850},
			"preferred_contact":         enumOf("Default email.", customer.ContactMethods),
			"communication_preferences": sref("CommunicationPreferences"),
			"emergency_contact":         orNull(sref("EmergencyContact")),
			"notes":                     strLen("", 0, 2000),
		}
	}
	customerSchema := object([]string{"id", "account_number", "name", "email", "phone", "customer_type", "status",
		"billing_address", "service_address", "credit_score", "preferred_contact", "communication_preferences",
		"emergency_contact", "suspension", "version", "created_at", "updated_at"}, obj{
		"id":                        obj{"type": "string", "format": "uuid"},
		"account_number":            obj{"type": "string", "pattern": "^[0-9]{10}$", "description": "Ten digits, the last a Luhn check digit."},
		"name":                      str(""),
		"email":                     str(""),
		"phone":                     str("E.164."),
		"customer_type":             enumOf("", customer.Types),
		"status":                    enumOf("", customer.Statuses),
		"billing_address":           sref("Address"),
		"service_address":           orNull(sref("Address")),
		"tax_id_last4":              obj{"type": "string", "pattern": "^[0-9]{4}$", "description": "Last four digits of the tax id, when one is stored."},
		"company":                   str(""),
		"industry":                  str(""),
		"credit_score":              obj{"type": []any{"integer", "null"}},
		"preferred_contact":         enumOf("", customer.ContactMethods),
		"communication_preferences": sref("CommunicationPreferences"),
		"emergency_contact":         orNull(sref("EmergencyContact")),
		"notes":                     str(""),
		"suspension":                orNull(sref("Suspension")),
		"version":                   obj{"type": "integer", "minimum": 1},
		"created_at":                timestamp(""),
		"updated_at":                timestamp(""),
	})
	serviceProps := func() obj {
		return obj{
			"plan_name":           strLen("", 1, 100),
			"technology":          enumOf("", customer.Technologies),
			"status":              enumOf("Default active.", customer.SubscriptionStatuses),
			"monthly_price":       money("Major units, at most two decimals."),
			"contract_term":       enumOf("Default month_to_month.", customer.ContractTerms),
			"start_date":          date("May lie in the past."),
			"end_date":            orNull(date("")),
			"bandwidth_down_mbps": integer("", 0, 1_000_000),
			"bandwidth_up_mbps":   integer("", 0, 1_000_000),
			"service_address":     orNull(sref("Address")),
		}
	}
	service := serviceProps()
	service["id"] = obj{"type": "string", "format": "uuid"}
	service["customer_id"] = obj{"type": "string", "format": "uuid"}
	service["version"] = obj{"type": "integer", "minimum": 1}
	service["created_at"] = timestamp("")
	service["updated_at"] = timestamp("")
	contactProps := func() obj {
		phone := "Normalised to E.164; a number without country code is read in the customer's billing country."
		return obj{
			"name":                     strLen("", 1, 100),
			"title":                    strLen("", 0, 100),
			"email":                    obj{"type": "string", "format": "email", "maxLength": 254, "description": "At least one of email, phone and mobile is required."},
			"phone":                    strLen(phone, 10, 20),
			"mobile":                   strLen(phone, 10, 20),
			"contact_type":             enumOf("", contact.Types),
			"is_primary":               boolean("At most one primary contact per type; setting it demotes the previous one."),
			"can_authorize_changes":    boolean("May instruct changes to the account."),
			"preferred_contact_method": enumOf("Default email when an email is given, else phone; sms needs a mobile number.", customer.ContactMethods),
			"notes":                    strLen("", 0, 2000),
		}
	}
	contactSchema := object([]string{"id", "customer_id", "name", "title", "email", "phone", "mobile", "contact_type", "is_primary",
		"can_authorize_changes", "preferred_contact_method", "notes", "version", "created_at", "updated_at"}, obj{
		"id":                       obj{"type": "string", "format": "uuid"},
		"customer_id":              obj{"type": "string", "format": "uuid"},
		"name":                     str(""),
		"title":                    str(""),
		"email":                    str("Empty when none."),
		"phone":                    str("E.164; empty when none."),
		"mobile":                   str("E.164; empty when none."),
		"contact_type":             enumOf("", contact.Types),
		"is_primary":               boolean(""),
		"can_authorize_changes":    boolean(""),
		"preferred_contact_method": enumOf("", customer.ContactMethods),
		"notes":                    str(""),
		"version":                  obj{"type": "integer", "minimum": 1},
		"created_at":               timestamp(""),
		"updated_at":               timestamp(""),
	})
	page := func(key, item string) obj {
		return object([]string{key, "next_cursor", "has_more"}, obj{
			key:           arrayOf(sref(item)),
			"next_cursor": obj{"type": []any{"string", "null"}},
			"has_more":    boolean(""),
		})
	}
	customerList := page("customers", "Customer")
	customerList["properties"].(obj)["total_count"] = obj{"type": "integer", "description": "With include_total=true."}

	return obj{
		"Address":                  address,
		"Coordinates":              object([]string{"latitude", "longitude"}, obj{"latitude": obj{"type": "number", "minimum": -90, "maximum": 90}, "longitude": obj{"type": "number", "minimum": -180, "maximum": 180}}),
		"CommunicationPreferences": prefs,
		"EmergencyContact":         emergency,
		"Customer":                 customerSchema,
		"Input":                    closed(object([]string{"name", "email", "phone", "customer_type", "billing_address"}, inputProps())),
		"CustomerPatch":            closed(object(nil, inputProps())),
		"CustomerDetails": obj{"allOf": []any{sref("Customer"), object(nil, obj{
			"services":          arrayOf(sref("Service")),
			"services_has_more": boolean("More services exist than embedded; page through /services."),
			"billing_summary":   sref("BillingSummary"),
			"account_metrics":   sref("AccountMetrics"),
			"support_tickets":   arrayOf(sref("SupportTicket")),
		})}},
		"BillingSummary": object([]string{"current_balance", "last_payment_date", "last_payment_amount", "payment_method", "auto_pay_enabled", "credit_limit"}, obj{
			"current_balance":     money(""),
			"last_payment_date":   orNull(date("")),
			"last_payment_amount": orNull(money("")),
			"payment_method":      obj{"type": []any{"string", "null"}},
			"auto_pay_enabled":    boolean(""),
			"credit_limit":        orNull(money("")),
		}),
		"AccountMetrics": object([]string{"customer_since", "lifetime_value", "monthly_recurring_revenue", "churn_risk_score", "satisfaction_score", "support_tickets_count"}, obj{
			"customer_since":            date(""),
			"lifetime_value":            money(""),
			"monthly_recurring_revenue": money(""),
			"churn_risk_score":          obj{"type": []any{"number", "null"}},
			"satisfaction_score":        obj{"type": []any{"number", "null"}},
			"support_tickets_count":     obj{"type": "integer"},
		}),
		"SupportTicket": object([]string{"id", "subject", "status", "priority", "created_at"}, obj{
			"id": str(""), "subject": str(""), "status": str(""), "priority": str(""), "created_at": timestamp(""),
		}),
		"Suspension": object([]string{"reason", "since"}, obj{
			"reason": enumOf("", customer.SuspensionReasons), "notes": str(""), "since": timestamp(""),
			"until": timestamp("Automatic reactivation."),
		}),
		"SuspendInput": closed(object([]string{"reason"}, obj{
			"reason": enumOf("", customer.SuspensionReasons), "notes": strLen("", 0, 2000),
			"until": timestamp("Must be in the future: the customer is reactivated then."),
		})),
		"ReactivateInput": closed(object(nil, obj{
			"notes":    strLen("", 0, 2000),
			"override": boolean("Lift a non-payment suspension although a balance is owed (admin only)."),
		})),
		"StatusChange": object([]string{"id", "customer_id", "from", "to", "actor_id", "at"}, obj{
			"id": str(""), "customer_id": str(""),
			"from": obj{"type": "string", "description": "Empty for the first entry."},
			"to":   enumOf("", customer.Statuses), "reason": enumOf("", customer.SuspensionReasons),
			"notes": str(""), "until": timestamp(""), "actor_id": str("API key id."), "request_id": str(""), "at": timestamp(""),
		}),
		"StatusHistory": object([]string{"status_history"}, obj{"status_history": arrayOf(sref("StatusChange"))}),
		"Service":       object([]string{"id", "customer_id", "plan_name", "technology", "status", "monthly_price", "contract_term", "start_date", "end_date", "bandwidth_down_mbps", "bandwidth_up_mbps", "service_address", "version", "created_at", "updated_at"}, service),
		"ServiceInput":  closed(object([]string{"plan_name", "technology", "monthly_price", "start_date"}, serviceProps())),
		"ServicePatch":  closed(object(nil, serviceProps())),
		"ServiceList":   page("services", "Service"),
		"Contact":       contactSchema,
		"ContactInput":  closed(object([]string{"name", "contact_type"}, contactProps())),
		"ContactPatch":  closed(object(nil, contactProps())),
		"ContactList":   page("contacts", "Contact"),
		"CustomerList":  customerList,
		"AuditEntry": object([]string{"id", "customer_id", "entity", "entity_id", "action", "actor_id", "changes", "at"}, obj{
			"id": str(""), "customer_id": str(""), "entity": str("customer, service, contact, …"), "entity_id": str(""),
			"action": str("create, update, suspend, reactivate, delete, …"), "actor_id": str("API key id."),
			"request_id": str(""), "changes": arrayOf(sref("FieldChange")), "at": timestamp(""),
		}),
		"FieldChange": object([]string{"field", "before", "after"}, obj{
			"field": str("Dotted path."), "before": anyJSON("Value before, masked where personal; null when absent."),
			"after": anyJSON("Value after, masked where personal; null when absent."),
		}),
		"AuditEntryList": page("audit_entries", "AuditEntry"),
		"Document":       documentSchema(),
		"DocumentList":   page("documents", "Document"),
		"DocumentUpload": object([]string{"file", "name", "document_type"}, obj{
			"file":               obj{"type": "string", "contentMediaType": "application/octet-stream", "description": "The file; its type is sniffed from the content (PDF, PNG, JPEG, TIFF, DOCX, XLSX, plain text)."},
			"name":               strLen("", 1, 200),
			"document_type":      enumOf("", document.Types),
			"expiration_date":    date(""),
			"requires_signature": obj{"type": "boolean", "default": false, "description": "true starts signature_status at pending."},
			"tags":               obj{"type": "array", "maxItems": document.MaxTags, "items": strLen("", 1, document.MaxTagLength), "description": "Repeated parts or one comma-separated part."},
		}),
		"DocumentPatch": closed(object(nil, documentMetadataProps())),
		"Health":        object([]string{"status"}, obj{"status": str("")}),
		"Problem": object([]string{"type", "title", "status", "code"}, obj{
			"type": str("about:blank"), "title": str(""), "status": obj{"type": "integer"},
			"code": obj{"type": "string", "enum": []any{"invalid", "unauthenticated", "forbidden", "not_found", "method_not_allowed",
				"conflict", "precondition_failed", "payload_too_large", "unsupported_media_type", "idempotency_mismatch",
				"rate_limited", "unavailable", "internal"}},
			"detail":     str(""),
			"errors":     arrayOf(object([]string{"field", "message"}, obj{"field": str(""), "message": str("")})),
			"request_id": str(""),
		}),
	}
}
