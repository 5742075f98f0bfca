package httpapi

import (
	"strconv"

	"github.com/ispstack/crm/bulk"
)

// The values of the job enums, as the OpenAPI document lists them.
var (
	jobKinds  = []bulk.Kind{bulk.KindImport, bulk.KindUpdate, bulk.KindCommunication}
	jobStates = []bulk.State{bulk.StateQueued, bulk.StateRunning, bulk.StateSucceeded, bulk.StateFailed, bulk.StateCancelled}
)

// jobComponents are the components of the jobs module.
func jobComponents() components {
	count := func(desc string) obj { return obj{"type": "integer", "minimum": 0, "description": desc} }
	return components{
		parameters: obj{"JobID": pathID("job_id")},
		schemas: obj{
			"Job":     jobSchema(),
			"JobList": page("jobs", "Job"),
			"RowError": object([]string{"row", "message"}, obj{
				"row":         obj{"type": "integer", "minimum": 0, "description": "The 1-based data row of an import (the CSV header is row 0)."},
				"customer_id": obj{"type": "string", "format": "uuid", "description": "The customer the row concerns, when known."},
				"field":       str("The input field at fault, dotted as in the CSV header, when one is."),
				"message":     str("Why; it never repeats the value refused."),
			}),
			"JobProgress": object([]string{"processed", "total"}, obj{
				"processed": count("Rows processed so far (a dry run's show at its end only)."),
				"total":     count("Rows in all."),
			}),
			"JobCounts": object([]string{"created", "updated", "unchanged", "skipped", "failed"}, obj{
				"created": count(""), "updated": count(""), "unchanged": count(""), "skipped": count(""),
				"failed": count("Rows refused; each has its row errors."),
			}),
			"ImportUpload": object([]string{"file"}, obj{
				"file": obj{"type": "string", "contentMediaType": "application/octet-stream",
					"description": "The file; its format from the part's Content-Type, else its file name's extension (.csv, .json, .ndjson, .jsonl)."},
			}),
		},
	}
}

// jobSchema is the Job schema: the job as bulk.Job marshals it, with the
// URL of its errors.
func jobSchema() obj {
	return object([]string{"id", "kind", "state", "dry_run", "progress", "counts", "errors", "error_count", "cancel_requested",
		"created_by", "created_at", "started_at", "finished_at", "updated_at", "result_url"}, obj{
		"id":    obj{"type": "string", "format": "uuid"},
		"kind":  enumOf("", jobKinds),
		"state": enumOf("succeeded, failed and cancelled are final.", jobStates),
		"dry_run": boolean("A dry run validates and counts exactly as a real run, in one transaction rolled back whole: " +
			"it changes nothing, and its progress and counts show at its end only."),
		"progress": sref("JobProgress"),
		"counts":   sref("JobCounts"),
		"skipped_by": obj{"type": "object", "additionalProperties": obj{"type": "integer", "minimum": 0},
			"description": "The skipped rows or customers by reason (a communication's opted_out, no_address, closed); absent when none."},
		"errors":           obj{"type": "array", "maxItems": bulk.MaxJobErrors, "items": sref("RowError"), "description": "The first " + strconv.Itoa(bulk.MaxJobErrors) + " row errors, in row order; result_url lists them all."},
		"error_count":      obj{"type": "integer", "minimum": 0, "description": "How many row errors there are in all."},
		"failure":          str("Why a failed job stopped (an input that cannot be read further); absent otherwise."),
		"cancel_requested": boolean("A running job was asked to stop; it does at its next batch."),
		"created_by":       str("API key id of the submitter; the job's changes are made in its name."),
		"created_at":       timestamp(""),
		"started_at":       orNull(timestamp("When a runner first claimed it.")),
		"finished_at":      orNull(timestamp("When it became final.")),
		"updated_at":       timestamp(""),
		"result_url":       str("Path of every row error as CSV (GET it with the same key)."),
	})
}

// importParameters are the query parameters and headers of the bulk
// import.
func importParameters() []any {
	return []any{
		queryParam("mode", obj{"type": "string", "enum": []any{string(bulk.ImportCreate), string(bulk.ImportUpsert)}, "default": string(bulk.ImportCreate),
			"description": "create: a customer from every row. upsert: a row updates, as a JSON merge patch, the customer with its external_id, " +
				"else its email, and creates one when there is none."}),
		queryParam("dry_run", obj{"type": "boolean", "default": false,
			"description": "true validates and counts every row exactly as a real run would, and changes nothing."}),
		pref("IdempotencyKey"),
	}
}

// importBodies are the media types in which the file may be the whole
// body.
func importBodies() obj {
	return obj{
		"text/csv": obj{"type": "string", "description": "A header row of the create request's field names, nested ones dotted " +
			"(billing_address.city, communication_preferences.marketing_emails), as the export writes it; an unknown column is 400 before any row is read."},
		"application/json":     arrayOf(obj{"type": "object", "description": "A row, shaped like the create request (a merge patch in upsert mode)."}),
		"application/x-ndjson": obj{"type": "string", "description": "One JSON object per line, shaped like the create request."},
	}
}
