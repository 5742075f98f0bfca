package httpapi

import (
	"context"
	"net/http"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
)

// jobsModule serves the bulk jobs and the bulk import, update and
// communication that queue them; it is on when Services.Bulk is set. Bulk
// work is admin only.
var jobsModule = module{
	on:         func(svc *app.Services) bool { return svc.Bulk != nil },
	routes:     jobRoutes,
	components: jobComponents,
}

// jobsPath is the collection of jobs.
const jobsPath = "/api/v1/jobs"

// bulkImportPath is the bulk import, below the customers.
const bulkImportPath = customersPrefix + "bulk-import"

// jobRoutes are the routes of the jobs module.
func jobRoutes(s *server) []route {
	svc := s.services.Bulk
	return []route{
		{http.MethodPost, bulkImportPath, RoleAdmin, s.handleBulkImport(svc), // streamed; its own Idempotency-Key handling
			operation{id: "importCustomers", summary: "Import customers from a CSV, JSON or NDJSON file as a job (streamed; 202 with the queued job)",
				params: importParameters(), form: "ImportUpload", upload: importTypes, raw: importBodies(), maxBody: s.maxImport,
				status: 202, result: "Job", location: true, errors: []string{"400", "409", "413", "415", "422"}}},
		{http.MethodPost, bulkUpdatePath, RoleAdmin, s.handleBulkUpdate(svc),
			operation{id: "bulkUpdateCustomers", summary: "Update or suspend/reactivate the customers of ids, list filters or a segment as a job (202 with the queued job)",
				params: bulkChangeParameters(), body: "BulkUpdateRequest", status: 202, result: "Job", location: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodPost, bulkCommunicationPath, RoleAdmin, s.handleBulkCommunication(svc),
			operation{id: "sendBulkCommunication", summary: "Message the consenting customers of ids, list filters or a segment by email or SMS as a job (202 with the queued job)",
				params: bulkChangeParameters(), body: "BulkCommunicationRequest", status: 202, result: "Job", location: true,
				errors: []string{"400", "404", "409", "413", "415", "422"}}},
		{http.MethodGet, jobsPath, RoleAdmin, handleJobList(svc, s.basePath),
			operation{id: "listJobs", summary: "Bulk jobs, newest first",
				params: []any{pref("Limit"), pref("Cursor")}, status: 200, result: "JobList", errors: []string{"400"}}},
		{http.MethodGet, jobsPath + "/:job_id", RoleAdmin, handleJobGet(svc, s.basePath),
			operation{id: "getJob", summary: "Get a bulk job: its state, progress, counts and first row errors",
				params: []any{pref("JobID")}, status: 200, result: "Job", errors: []string{"404"}}},
		{http.MethodGet, jobsPath + "/:job_id/errors", RoleAdmin, handleJobErrors(svc),
			operation{id: "getJobErrors", summary: "Every row error of a bulk job, as CSV (row, customer_id, field, message; streamed)",
				params: []any{pref("JobID")}, status: 200, files: []string{jobErrorsMedia}, errors: []string{"404"}}},
		{http.MethodGet, jobsPath + "/:job_id/messages", RoleAdmin, handleJobMessages(svc),
			operation{id: "listJobMessages", summary: "The messages of a communication job, one per recipient with its delivery status, by id",
				params: []any{pref("JobID"), queryParam("status", enumOf("Only the messages in this status.", messageStatuses)), pref("Limit"), pref("Cursor")},
				status: 200, result: "JobMessageList", errors: []string{"400", "404"}}},
		{http.MethodPost, jobsPath + "/:job_id/cancel", RoleAdmin, handleJobCancel(svc, s.basePath),
			operation{id: "cancelJob", summary: "Cancel a bulk job: a queued one at once, a running one at its next batch (what it committed stays)",
				params: []any{pref("JobID"), pref("IdempotencyKey")}, status: 200, result: "Job", errors: []string{"404", "409", "422"}}},
	}
}

// jobErrorsMedia is the Content-Type of a job's errors file.
const jobErrorsMedia = "text/csv; charset=utf-8"

// jobView is a job as the API shows it: the job plus the URL of its row
// errors as CSV and, for a communication, its messages by status.
type jobView struct {
	*bulk.Job
	ResultURL string         `json:"result_url"`
	Messages  *messageCounts `json:"messages,omitempty"`
}

// messageCounts are a communication job's messages by status.
type messageCounts struct {
	Queued  int `json:"queued"`
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// viewJob returns the API form of j; basePath is the mount prefix. The
// messages of a communication job are counted through svc as of now.
func viewJob(ctx context.Context, svc *bulk.Service, basePath string, j *bulk.Job) (jobView, error) {
	v := jobView{Job: j, ResultURL: basePath + jobPath(j.ID) + "/errors"}
	if j.Kind != bulk.KindCommunication {
		return v, nil
	}
	n, err := svc.MessageCounts(ctx, j.ID)
	if err != nil {
		return v, err
	}
	v.Messages = &messageCounts{Queued: n[bulk.MessageQueued], Sent: n[bulk.MessageSent], Failed: n[bulk.MessageFailed], Skipped: n[bulk.MessageSkipped]}
	return v, nil
}

// writeJob answers with j's view.
func writeJob(w http.ResponseWriter, r *http.Request, status int, svc *bulk.Service, basePath string, j *bulk.Job) error {
	v, err := viewJob(r.Context(), svc, basePath, j)
	if err != nil {
		return err
	}
	encode(w, r, status, v)
	return nil
}

// jobPath is the URL path of a job.
func jobPath(id string) string { return jobsPath + "/" + id }

// handleJobList serves GET /jobs: newest first, paged with limit and
// cursor.
func handleJobList(svc *bulk.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		q := parseQuery(r, "limit", "cursor")
		limit, cursor := q.limit(), q.cursor()
		if err := q.err(); err != nil {
			return err
		}
		page, err := svc.List(r.Context(), cursor, limit)
		if err != nil {
			return err
		}
		views := &crm.Page[jobView]{Items: make([]jobView, len(page.Items)), NextCursor: page.NextCursor, HasMore: page.HasMore}
		for i := range page.Items {
			if views.Items[i], err = viewJob(r.Context(), svc, basePath, &page.Items[i]); err != nil {
				return err
			}
		}
		encode(w, r, http.StatusOK, pageBody[jobView]{"jobs", views})
		return nil
	})
}

// handleJobGet serves GET /jobs/{id}.
func handleJobGet(svc *bulk.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		j, err := svc.Get(r.Context(), pathParam(r, "job_id"))
		if err != nil {
			return err
		}
		return writeJob(w, r, http.StatusOK, svc, basePath, j)
	})
}

// handleJobErrors serves GET /jobs/{id}/errors: every row error of the
// job as CSV, streamed as an attachment named job-<id>-errors.csv. An
// unknown job is a problem; a failure midway cuts the file off.
func handleJobErrors(svc *bulk.Service) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		id := pathParam(r, "job_id")
		body := newStreamedFile(w, jobErrorsMedia, "job-"+id+"-errors.csv")
		err := svc.WriteErrorsCSV(r.Context(), id, body)
		switch {
		case err != nil && !body.begun:
			return err
		case err != nil:
			cutOff(r, "job errors cut off", err)
		}
		return nil
	})
}

// handleJobCancel serves POST /jobs/{id}/cancel: 200 with the job,
// cancelled when it was queued, cancel_requested when it is running;
// 409 when it is already final.
func handleJobCancel(svc *bulk.Service, basePath string) http.Handler {
	return handlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if err := parseQuery(r).err(); err != nil {
			return err
		}
		j, err := svc.Cancel(r.Context(), pathParam(r, "job_id"))
		if err != nil {
			return err
		}
		return writeJob(w, r, http.StatusOK, svc, basePath, j)
	})
}
