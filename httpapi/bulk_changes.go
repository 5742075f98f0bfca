package httpapi

import (
	"net/http"

	"github.com/ispstack/crm/bulk"
)

// The bulk changes, below the customers.
const (
	bulkUpdatePath        = customersPrefix + "bulk-update"
	bulkCommunicationPath = customersPrefix + "bulk-communication"
)

// messageStatuses are the values of the messages' status filter.
var messageStatuses = []bulk.MessageStatus{bulk.MessageQueued, bulk.MessageSent, bulk.MessageFailed, bulk.MessageSkipped}

// handleBulkUpdate serves POST /customers/bulk-update?dry_run=: the body
// is a bulk.UpdateRequest (a target of customer_ids, filter or
// segment_id, and updates or action), checked whole before the job is
// queued (400 naming updates.<field> or action.<field>; 404 for an
// unknown segment). 202 with Location and the queued job. A JSON body,
// so Idempotency-Key is the generic middleware's.
func (s *server) handleBulkUpdate(svc *bulk.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		dryRun, err := dryRunParam(r)
		if err != nil {
			return err
		}
		var req bulk.UpdateRequest
		if err := decode(r, &req); err != nil {
			return err
		}
		req.DryRun = dryRun
		j, err := svc.SubmitUpdate(r.Context(), req)
		if err != nil {
			return err
		}
		w.Header().Set("Location", s.basePath+jobPath(j.ID))
		return writeJob(w, r, http.StatusAccepted, svc, s.basePath, j)
	})
}

// handleBulkCommunication serves POST
// /customers/bulk-communication?dry_run=: the body is a
// bulk.CommunicationRequest (a target, channel, category, subject and
// body), its templates parsed and trial-rendered before the job is
// queued (400 naming subject or body). 202 with Location and the queued
// job; the senders deliver its messages.
func (s *server) handleBulkCommunication(svc *bulk.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		dryRun, err := dryRunParam(r)
		if err != nil {
			return err
		}
		var req bulk.CommunicationRequest
		if err := decode(r, &req); err != nil {
			return err
		}
		req.DryRun = dryRun
		j, err := svc.SubmitCommunication(r.Context(), req)
		if err != nil {
			return err
		}
		w.Header().Set("Location", s.basePath+jobPath(j.ID))
		return writeJob(w, r, http.StatusAccepted, svc, s.basePath, j)
	})
}

// dryRunParam reads the only query parameter of a bulk change, dry_run
// (false when absent).
func dryRunParam(r *http.Request) (bool, error) {
	q := parseQuery(r, "dry_run")
	dryRun := q.flag("dry_run", false)
	return dryRun, q.err()
}

// handleJobMessages serves GET /jobs/{id}/messages: the job's messages
// (one per recipient, skipped ones too) ordered by id, of status when
// given, paged with limit and cursor.
func handleJobMessages(svc *bulk.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "status", "limit", "cursor")
		status := enum(q, "status", messageStatuses)
		limit, cursor := q.limit(), q.cursor()
		if err := q.err(); err != nil {
			return err
		}
		page, err := svc.ListMessages(r.Context(), pathParam(r, "job_id"), status, cursor, limit)
		if err != nil {
			return err
		}
		encode(w, r, http.StatusOK, pageBody[bulk.Message]{"messages", page})
		return nil
	})
}
