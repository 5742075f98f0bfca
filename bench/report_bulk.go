package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ispstack/crm/bulk"
)

// bulkRows writes the bulk figures into the report's main table.
func (r *report) bulkRows(b *strings.Builder) {
	if x := r.bulkImport; x != nil {
		ratio := x.importRate() / x.copyRate()
		result := verdict(ratio >= targetImportRatio)
		if ratio >= stretchImportRatio {
			result += " (stretch too)"
		}
		fmt.Fprintf(b, "| Bulk import: POST /api/v1/customers/bulk-import?mode=create, %s CSV rows × %d columns (%s), submit to job finished | %s rows/s (%s; the upload %s) | psql `\\copy` of the same rows into `scratch (LIKE customers INCLUDING ALL)`, %d indexes as customers: %s rows/s (%s) | %.2f× | ≥ %.2f× (stretch %.2f×) | %s%s |\n",
			num(float64(x.rows)), x.columns, mb(x.csvBytes), num(x.importRate()), secs(x.importRun.elapsed), secs(x.upload),
			x.scratchIndexes, num(x.copyRate()), secs(x.copyRun.elapsed), ratio, targetImportRatio, stretchImportRatio, result, importNote(x))
		fmt.Fprintf(b, "| Bulk import: growth of the RSS of the process serving it | +%s (from %s) | — | — | < %s | %s |\n",
			mb(x.rss.growth()), mb(x.rss.base), mb(targetBulkRSS), verdict(x.rss.growth() < targetBulkRSS))
	}
	if x := r.export; x != nil {
		ratio := x.apiRate() / x.psqlRate()
		fmt.Fprintf(b, "| Export: GET /api/v1/customers/export?format=csv, %s rows × %d columns (%s), read to the end | %s rows/s (%s) | psql `\\copy (SELECT the same columns … ORDER BY created_at, id) TO STDOUT WITH CSV HEADER` to /dev/null: %s rows/s (%s) | %.2f× | ≥ %.2f× | %s |\n",
			num(float64(x.rows)), x.columns, mb(x.bytes), num(x.apiRate()), secs(x.apiRun.elapsed), num(x.psqlRate()), secs(x.psqlRun.elapsed),
			ratio, targetExportRatio, verdict(ratio >= targetExportRatio))
		fmt.Fprintf(b, "| Export: growth of the RSS of the process serving it | +%s (from %s) | — | — | < %s | %s |\n",
			mb(x.rss.growth()), mb(x.rss.base), mb(targetBulkRSS), verdict(x.rss.growth() < targetBulkRSS))
	}
	if x := r.comms; x != nil {
		ok := x.rate() >= targetCommsMessagesPS && x.receiver.badSig == 0 && x.receiver.repeat == 0 && x.job.Messages.Sent == x.recipients()
		fmt.Fprintf(b, "| Bulk communication: POST /api/v1/customers/bulk-communication, sms, category service, to %s consenting customers, webhook notifier (HMAC-signed) to a local receiver, submit to the last message received | %s messages/s (%s; every message stored as sent after %s) | — | — | ≥ %s messages/s | %s%s |\n",
			num(float64(x.recipients())), num(x.rate()), secs(x.received), secs(x.settled), num(targetCommsMessagesPS), verdict(ok), commsNote(x))
	}
}

// importNote flags an import whose job did not create every row.
func importNote(x *importResult) string {
	if x.job.State == bulk.StateSucceeded && x.job.Counts.Created == x.rows {
		return ""
	}
	note := fmt.Sprintf(" ⚠ job %s, %d of %d rows created", x.job.State, x.job.Counts.Created, x.rows)
	if len(x.job.Errors) > 0 {
		e := x.job.Errors[0]
		note += fmt.Sprintf(" (row %d %s: %s)", e.Row, e.Field, e.Message)
	}
	return note
}

// commsNote flags a communication that did not deliver each message once
// with a good signature.
func commsNote(x *commsResult) string {
	var notes []string
	if m := x.job.Messages; m.Sent != x.recipients() {
		notes = append(notes, fmt.Sprintf("%d of %d sent (%d failed, %d queued)", m.Sent, x.recipients(), m.Failed, m.Queued))
	}
	if x.receiver.badSig > 0 {
		notes = append(notes, fmt.Sprintf("%d bad signatures", x.receiver.badSig))
	}
	if x.receiver.repeat > 0 {
		notes = append(notes, fmt.Sprintf("%d messages received twice", x.receiver.repeat))
	}
	if len(notes) == 0 {
		return ""
	}
	return " ⚠ " + strings.Join(notes, ", ")
}

// bulkDetails writes how the bulk figures were taken.
func (r *report) bulkDetails(b *strings.Builder) {
	if r.bulkImport == nil && r.export == nil && r.comms == nil {
		return
	}
	b.WriteString("\n### Bulk operations\n\n")
	if x := r.bulkImport; x != nil {
		fmt.Fprintf(b, "- Import: in a database of its own (the bench's name + `%s`), both sides into empty tables after a CHECKPOINT; the customers table has %d indexes (%d unique, the primary key among them), and the scratch table the same %d. "+
			"The job: %s, counts %+v, %d row errors; submit to finished %s, of which the upload (stored as the job's input before the 202) %s. "+
			"Foreign CPU: psql %s, import %s cores. RSS: %s, the server, its runner and the client in one process.\n",
			importDBSuffix, x.indexes, x.unique, x.scratchIndexes, x.job.State, x.job.Counts, x.job.ErrorCount, secs(x.importRun.elapsed), secs(x.upload),
			cores(x.copyRun.foreign), cores(x.importRun.foreign), x.rss.how)
	}
	if x := r.export; x != nil {
		fmt.Fprintf(b, "- Export: psql ran once unmeasured first, to warm both sides alike; the API's body was read to the end and its records counted (%s). Foreign CPU: psql %s, API %s cores. RSS: %s, the server and the client in one process.\n",
			mb(x.bytes), cores(x.psqlRun.foreign), cores(x.apiRun.foreign), x.rss.how)
	}
	if x := r.comms; x != nil {
		m := x.job.Messages
		fmt.Fprintf(b, "- Communication: the filter (%s) selects the newest loaded customers, %s of whom consent; the job, run by the server's bulk runner in this process, queued %s messages in %s (skipped: %s); "+
			"%d senders, batches of %d, send rate limit %s/s. The receiver (in this process) checked every request's signature: %d requests, %d bad, %d repeated message ids, first to last %s. Messages at the end: %d sent, %d failed, %d queued. Foreign CPU %s cores.\n",
			x.filter, num(float64(x.consenting)), num(float64(x.recipients())), secs(x.queued), countsText(x.job.SkippedBy), bulk.DefaultSenders, bulk.DefaultSendBatch, num(x.sendRate),
			x.receiver.count, x.receiver.badSig, x.receiver.repeat, secs(x.receiver.last.Sub(x.receiver.first)), m.Sent, m.Failed, m.Queued, cores(x.run.foreign))
	}
}

// bulkRuns are the bulk phases' runs, for the report's foreign CPU.
func (r *report) bulkRuns() []*runResult {
	var out []*runResult
	if x := r.bulkImport; x != nil {
		out = append(out, x.copyRun, x.importRun)
	}
	if x := r.export; x != nil {
		out = append(out, x.psqlRun, x.apiRun)
	}
	if x := r.comms; x != nil {
		out = append(out, x.run)
	}
	return out
}

// countsText lists counts by key ("none" when there are none), such as
// a job's skipped customers by reason or its messages by status.
func countsText[K ~string](by map[K]int) string {
	if len(by) == 0 {
		return "none"
	}
	keys := slices.Sorted(maps.Keys(by))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, by[k])
	}
	return strings.Join(parts, ", ")
}
