package httpapi

import (
	"strconv"

	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/customer"
)

// The values of the job enums, as the OpenAPI document lists them.
var (
	jobKinds  = []bulk.Kind{bulk.KindImport, bulk.KindUpdate, bulk.KindCommunication}
	jobStates = []bulk.State{bulk.StateQueued, bulk.StateRunning, bulk.StateSucceeded, bulk.StateFailed, bulk.StateCancelled}
	channels  = []notify.Channel{notify.ChannelEmail, notify.ChannelSMS}
	actions   = []string{bulk.ActionSuspend, bulk.ActionReactivate}
	skips     = []string{bulk.SkipOptedOut, bulk.SkipNoAddress, bulk.SkipClosed}
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
			"JobMessageCounts": object([]string{"queued", "sent", "failed", "skipped"}, obj{
				"queued": count("In the outbox, to be sent (again, after a failure)."), "sent": count("Accepted by the SMTP server or SMS gateway (or logged, without one)."),
				"failed": count("Refused for good, or failed too often."), "skipped": count("Not sent: opted out, no address for the channel, or closed."),
			}),
			"JobMessage":               jobMessageSchema(),
			"JobMessageList":           page("messages", "JobMessage"),
			"BulkFilter":               bulkFilterSchema(),
			"BulkAction":               bulkActionSchema(),
			"BulkUpdateRequest":        bulkUpdateSchema(),
			"BulkCommunicationRequest": bulkCommunicationSchema(),
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
		"messages": obj{"allOf": []any{sref("JobMessageCounts")},
			"description": "A communication job's messages by status, counted on every read (GET …/messages lists them); absent for other kinds. " +
				"A dry run queues none."},
	})
}

// jobMessageSchema is the JobMessage schema: one recipient's message of
// a communication job, as bulk.Message marshals it.
func jobMessageSchema() obj {
	return object([]string{"id", "job_id", "customer_id", "channel", "to", "body", "status", "attempts", "sent_at", "created_at", "updated_at"}, obj{
		"id":          obj{"type": "string", "format": "uuid", "description": "Also the SMTP Message-ID's left part and the SMS webhook's Idempotency-Key, the same at every try."},
		"job_id":      obj{"type": "string", "format": "uuid"},
		"customer_id": obj{"type": "string", "format": "uuid"},
		"channel":     enumOf("", channels),
		"to":          str("The address used: an email address or an E.164 phone number; empty when skipped; [redacted] once the customer is erased."),
		"subject":     str("The rendered subject (email only)."),
		"body":        str("The rendered text; empty when skipped; [redacted] once the customer is erased."),
		"status":      enumOf("queued: in the outbox, to be sent (again); sent: accepted; failed: refused for good or failed too often; skipped: not sent.", messageStatuses),
		"skip_reason": enumOf("Why a skipped message was not sent.", skips),
		"attempts":    obj{"type": "integer", "minimum": 0, "description": "Sends tried so far."},
		"last_error":  str("The last failure, for people."),
		"sent_at":     orNull(timestamp("")),
		"created_at":  timestamp(""),
		"updated_at":  timestamp(""),
	})
}

// targetProperties are the properties of a bulk target: exactly one of
// customer_ids, filter and segment_id.
func targetProperties() obj {
	return obj{
		"customer_ids": obj{"type": "array", "minItems": 1, "maxItems": bulk.MaxTargetIDs, "items": obj{"type": "string"},
			"description": "The customers, in order (repeats count once); an id that is no customer's is a row error of the job, not a refused request."},
		"filter":     sref("BulkFilter"),
		"segment_id": obj{"type": "string", "format": "uuid", "description": "The members of this segment when the job runs; 404 when there is no such segment."},
	}
}

// targetNote says how a bulk target is given.
const targetNote = "Give exactly one of customer_ids, filter and segment_id (400 naming customer_ids otherwise). "

// bulkFilterSchema is the BulkFilter schema: the customer list's filters.
func bulkFilterSchema() obj {
	o := closed(object(nil, filterProperties()))
	o["description"] = "The customers GET /customers lists with these filters (query parameter names and meanings), read page by page as the job runs. " +
		"Values are strings, numbers or booleans; a number or boolean may also be sent as its query-string text (\"650\", \"true\"). " +
		"Unknown keys and bad values are 400 naming filter.<key>." + analyticsFilterNote
	return o
}

// bulkActionSchema is the BulkAction schema: a lifecycle change per
// customer.
func bulkActionSchema() obj {
	return closed(object([]string{"type"}, obj{
		"type":   enumOf("", actions),
		"reason": enumOf("Required to suspend; only for suspend.", customer.SuspensionReasons),
		"notes":  strLen("", 0, 2000),
		"until":  timestamp("Suspend only: the automatic reactivation, in the future."),
	}))
}

// bulkUpdateSchema is the BulkUpdateRequest schema.
func bulkUpdateSchema() obj {
	props := targetProperties()
	props["updates"] = obj{"allOf": []any{sref("CustomerPatch")},
		"description": "A JSON merge patch of the writable fields applied to each customer, as PATCH /customers/{customer_id} takes it, validated whole first " +
			"(400 naming updates.<field>); a customer the patch leaves invalid is a row error."}
	props["action"] = obj{"allOf": []any{sref("BulkAction")}, "description": "A suspension or reactivation of each customer, checked first (400 naming action.<field>); " +
		"a customer whose status does not allow it is a row error."}
	o := closed(object(nil, props))
	o["description"] = targetNote + "Give exactly one of updates and action. Each customer gets its own audit entry and outcome in the job's counts."
	return o
}

// bulkCommunicationSchema is the BulkCommunicationRequest schema.
func bulkCommunicationSchema() obj {
	props := targetProperties()
	props["channel"] = enumOf("email goes to the customer's email, sms to its phone.", channels)
	props["category"] = enumOf("Decides the consent needed (communication_preferences): marketing needs marketing_emails, service service_notifications, "+
		"billing billing_reminders, outage outage_alerts.", bulk.Categories)
	props["subject"] = obj{"type": "string", "maxLength": bulk.MaxSubjectLength,
		"description": "Email only (required there): a text/template over the customer's fields ({{.Name}}, {{.AccountNumber}}), parsed and trial-rendered first (400 naming subject)."}
	props["body"] = obj{"type": "string", "minLength": 1, "maxLength": bulk.MaxBodyLength,
		"description": "A text/template over the customer's fields: ID, AccountNumber, Name, Email, Phone, CustomerType, Company, BillingAddress, ServiceAddress, " +
			"CustomerSince; parsed and trial-rendered first (400 naming body). At most " + strconv.Itoa(bulk.MaxSMSLength) + " bytes for sms."}
	o := closed(object([]string{"channel", "category", "body"}, props))
	o["description"] = targetNote + "Customers who did not consent to the category, have no address for the channel, or are closed are skipped, " +
		"counted in the job's skipped_by by reason. Each recipient gets at most one message per job."
	return o
}

// bulkChangeParameters are the query parameters and headers of a bulk
// update or communication.
func bulkChangeParameters() []any {
	return []any{
		queryParam("dry_run", obj{"type": "boolean", "default": false,
			"description": "true selects, validates and counts every customer exactly as a real run would, and changes (or sends) nothing."}),
		pref("IdempotencyKey"),
	}
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
