package httpapi

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ispstack/crm"
)

// handleOpenAPI serves GET /api/v1/openapi.json: the OpenAPI 3.1 document
// of every configured route, without a key.
func (s *server) handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(s.openapi)
	})
}

// obj is a JSON object of the document.
type obj = map[string]any

// operation documents one route: each row of the route table carries its
// own.
type operation struct {
	id, summary string
	params      []any    // parameter objects or $refs
	body        string   // request schema name; "" for none
	form        string   // multipart/form-data request schema name (the body is streamed); "" for none
	upload      []string // media types of the form's part "file"
	raw         obj      // media types (and their schemas) in which the file may instead be the whole body, streamed too
	patch       bool     // the body is a JSON merge patch
	optional    bool     // the body may be omitted
	status      int      // success status
	result      string   // success schema name; "" for no content
	binary      bool     // the success body is a file (ranges supported)
	files       []string // media types of a success body that is a generated file, sent as an attachment
	etag        bool     // the success response carries ETag
	location    bool     // the success response carries Location
	errors      []string // problem statuses besides 401, 403, 405, 429, 431 and 500
	maxBody     int64    // a form's body limit; a JSON body's when it exceeds the server's JSON limit (0 for that limit)
}

// components are OpenAPI components: the schemas and parameters that
// operations name by reference.
type components struct {
	schemas, parameters obj
}

// add merges more into c; a name that c already defines is an error.
func (c components) add(more components) error {
	for _, kind := range []struct {
		name     string
		dst, src obj
	}{{"schema", c.schemas, more.schemas}, {"parameter", c.parameters, more.parameters}} {
		for name, v := range kind.src {
			if _, dup := kind.dst[name]; dup {
				return fmt.Errorf("httpapi: %s %s is defined twice", kind.name, name)
			}
			kind.dst[name] = v
		}
	}
	return nil
}

// openAPIPath turns an httprouter pattern into an OpenAPI path template:
// the customer's :id is {customer_id}, every other wildcard keeps its
// name.
func openAPIPath(pattern string) string {
	segs := strings.Split(pattern, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			if name == "id" {
				name = "customer_id"
			}
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/")
}

// openAPIJSON renders the document of routes, whose operations name
// comps.
func openAPIJSON(routes []route, comps components) ([]byte, error) {
	doc, err := openAPIDocument(routes, comps)
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
}

// openAPIDocument builds the OpenAPI 3.1 document from the route table. A
// row without an operation is an error.
func openAPIDocument(routes []route, comps components) (obj, error) {
	paths := obj{}
	for _, rt := range routes {
		if rt.op.id == "" || rt.op.status == 0 {
			return nil, fmt.Errorf("httpapi: route %s %s has no operation", rt.method, rt.path)
		}
		p := openAPIPath(rt.path)
		item, _ := paths[p].(obj)
		if item == nil {
			item = obj{}
			paths[p] = item
		}
		item[strings.ToLower(rt.method)] = rt.render()
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
			"parameters": comps.parameters,
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
				"Unavailable": obj{"description": "The store cannot be reached for now.",
					"headers": obj{"Retry-After": obj{"description": "Seconds to wait before retrying.", "schema": obj{"type": "integer"}}},
					"content": obj{"application/problem+json": obj{"schema": sref("Problem")}}},
				"PartialContent": obj{"description": "The requested byte range of the file.",
					"headers": obj{"Content-Range": obj{"description": "The range sent.", "schema": obj{"type": "string"}}},
					"content": obj{"*/*": obj{"schema": obj{"description": "Bytes of the file."}}}},
				"RangeNotSatisfiable": obj{"description": "The Range lies outside the file, or names more than " + itoa(maxRanges) + " ranges.",
					"headers": obj{"Content-Range": obj{"description": "bytes */<size>.", "schema": obj{"type": "string"}}},
					"content": obj{"application/problem+json": obj{"schema": sref("Problem")}}},
				"MethodNotAllowed": obj{"description": "The path does not support the method.",
					"headers": obj{"Allow": obj{"description": "Supported methods.", "schema": obj{"type": "string"}}},
					"content": obj{"application/problem+json": obj{"schema": sref("Problem")}}},
			},
			"schemas": comps.schemas,
		},
	}, nil
}

// render returns the Operation Object of rt.
func (rt route) render() obj {
	op := rt.op
	o := obj{"operationId": op.id, "summary": op.summary}
	if rt.role == "" {
		o["security"] = []any{}
	} else {
		o["description"] = "Needs the " + string(rt.role) + " role or higher."
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
		content := obj{"multipart/form-data": obj{
			"schema":   sref(op.form),
			"encoding": obj{"file": obj{"contentType": strings.Join(op.upload, ", ")}},
		}}
		for mt, schema := range op.raw {
			content[mt] = obj{"schema": schema}
		}
		o["requestBody"] = obj{"required": true, "content": content}
	}
	ok := obj{"description": http.StatusText(op.status)}
	if op.binary {
		ok["content"] = obj{"*/*": obj{"schema": obj{"description": "The file; Content-Type is its sniffed mime_type."}}}
	} else if len(op.files) > 0 {
		content := obj{}
		for _, mt := range op.files {
			content[mt] = obj{"schema": obj{"type": "string"}}
		}
		ok["content"] = content
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
	if len(op.files) > 0 {
		headers["Content-Disposition"] = obj{"description": "attachment, with the file's name.", "schema": obj{"type": "string"}}
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
		if s == "503" {
			responses[s] = obj{"$ref": "#/components/responses/Unavailable"}
		}
	}
	if rt.role != "" {
		responses["401"], responses["403"] = problem, problem
		responses["429"] = obj{"$ref": "#/components/responses/RateLimited"}
	}
	responses["405"] = obj{"$ref": "#/components/responses/MethodNotAllowed"}
	responses["431"] = problem
	responses["500"] = problem
	o["responses"] = responses
	return o
}

// sharedComponents are the components every module's operations may
// name: the customer id, paging, Idempotency-Key and If-Match parameters,
// and the Health and Problem schemas.
func sharedComponents() components {
	return components{
		parameters: obj{
			"CustomerID": pathID("customer_id"),
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
		},
		schemas: obj{
			"Health": object([]string{"status"}, obj{"status": str("")}),
			"Problem": object([]string{"type", "title", "status", "code"}, obj{
				"type": str("about:blank"), "title": str(""), "status": obj{"type": "integer"},
				"code":       obj{"type": "string", "enum": problemCodes()},
				"detail":     str(""),
				"errors":     arrayOf(object([]string{"field", "message"}, obj{"field": str(""), "message": str("")})),
				"request_id": str(""),
			}),
		},
	}
}

// problemCodes are the codes a problem document may carry, in the order
// of their statuses.
func problemCodes() []any {
	codes := make([]crm.Code, 0, len(statuses))
	for c := range statuses {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b crm.Code) int {
		return cmp.Or(cmp.Compare(statuses[a].status, statuses[b].status), strings.Compare(string(a), string(b)))
	})
	out := make([]any, len(codes))
	for i, c := range codes {
		out[i] = string(c)
	}
	return out
}

// pathID is the parameter of a path wildcard holding an id.
func pathID(name string) obj {
	return obj{"name": name, "in": "path", "required": true, "schema": obj{"type": "string", "format": "uuid"}}
}

// page is the schema of one page of a collection: its items under key.
func page(key, item string) obj {
	return object([]string{key, "next_cursor", "has_more"}, obj{
		key:           arrayOf(sref(item)),
		"next_cursor": obj{"type": []any{"string", "null"}},
		"has_more":    boolean(""),
	})
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
