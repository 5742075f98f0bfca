package httpapi

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ispstack/crm/analytics"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/customer"
)

// exportModule serves the customer export; it is on when
// Services.Exports is set.
var exportModule = module{
	on:         func(svc *app.Services) bool { return svc.Exports != nil },
	routes:     exportRoutes,
	components: func() components { return components{} },
}

// exportPath is the export, below the customers.
const exportPath = customersPrefix + "export"

// exportMedia are the Content-Types of the export formats.
var exportMedia = map[bulk.Format]string{
	bulk.FormatCSV:    "text/csv; charset=utf-8",
	bulk.FormatNDJSON: "application/x-ndjson",
}

// exportRoutes are the routes of the export module.
func exportRoutes(s *server) []route {
	withAnalytics := s.services.Analytics != nil
	return []route{
		{http.MethodGet, exportPath, RoleAdmin, handleCustomerExport(s.services.Exports, withAnalytics, s.now),
			operation{id: "exportCustomers", summary: "Export the customers the list filters select, as CSV or NDJSON (streamed; tax ids never)",
				params: exportParameters(withAnalytics), status: 200, files: []string{exportMedia[bulk.FormatCSV], exportMedia[bulk.FormatNDJSON]},
				errors: listErrors(withAnalytics)}},
	}
}

// handleCustomerExport serves GET /customers/export: every filter of the
// customer list (with the analytics, its filters and segment_id too),
// format (csv, the default, or ndjson) and fields (comma-separated
// columns, all by default). A bad parameter or an unknown segment is a
// problem before anything is sent; then the file streams as an
// attachment named customers-<date>, each write flushed. An export that
// fails midway is cut off (the connection is aborted), so the client
// cannot take a partial file for a whole one.
func handleCustomerExport(svc *bulk.ExportService, withAnalytics bool, now func() time.Time) http.Handler {
	filters := customer.FilterParams
	own := []string{"format", "fields"}
	if withAnalytics {
		filters = analytics.RuleParams()
		own = append(own, "segment_id")
	}
	allowed := slices.Concat(filters, own)
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, allowed...)
		format := enum(q, "format", bulk.Formats)
		if format == "" {
			format = bulk.FormatCSV
		}
		var fields []string
		if q.has("fields") {
			fields = strings.Split(q.str("fields"), ",")
		}
		cols, err := bulk.SelectColumns(fields)
		q.merge(err)
		params := map[string]string{}
		for _, name := range filters {
			if q.has(name) {
				params[name] = q.str(name)
			}
		}
		sel, err := bulk.ParseSelection(params, q.segmentID())
		q.merge(err)
		if err := q.err(); err != nil {
			return err
		}
		name := "customers-" + now().UTC().Format(time.DateOnly) + "." + string(format)
		body := newStreamedFile(w, exportMedia[format], name)
		n, err := svc.Export(r.Context(), body, bulk.ExportRequest{Format: format, Columns: cols, Selection: sel})
		switch {
		case err != nil && !body.begun:
			return err
		case err != nil:
			cutOff(r, "export cut off", err, slog.Int("rows", n))
		case !body.begun: // NDJSON of no customer: an empty file
			body.begin()
		}
		return nil
	})
}

// exportParameters are the query parameters of the export: format,
// fields and the customer list's filters.
func exportParameters(withAnalytics bool) []any {
	params := []any{
		queryParam("format", obj{"type": "string", "enum": []any{string(bulk.FormatCSV), string(bulk.FormatNDJSON)}, "default": string(bulk.FormatCSV),
			"description": "csv: a header row of the column names, then a record per customer; text cells that a spreadsheet would run as a formula " +
				"(beginning with =, +, -, @, tab or carriage return) are prefixed with a single quote, which the import takes off again. " +
				"ndjson: one JSON object per line with the same keys, nested objects as objects."}),
		queryParam("fields", obj{"type": "string",
			"description": "Comma-separated columns, in the order wanted; an object name (billing_address) stands for all its columns. " +
				"All by default: " + strings.Join(bulk.ExportColumns().Names(), ", ") + ". Tax ids are never exported."}),
	}
	params = append(params, customerFilterParameters()...)
	if withAnalytics {
		params = append(params, analyticsFilterParameters(nil)...)
		params = append(params, segmentIDParameter())
	}
	return params
}
