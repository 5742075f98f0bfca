package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ispstack/crm/bulk"
)

// adminHTTP sends the bulk phases' requests: one at a time, some of them
// long (an upload of the import, a whole export).
var adminHTTP = &http.Client{Timeout: 30 * time.Minute}

// adminRequest sends a request with the admin key (bulk work is admin
// only) and returns the response; the caller closes its body.
func adminRequest(ctx context.Context, method, url, contentType string, body io.Reader, size int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+benchAdminKey)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if size > 0 {
		req.ContentLength = size
	}
	return adminHTTP.Do(req)
}

// decodeJob reads the job of a response with status want.
func decodeJob(resp *http.Response, want int) (*bulk.Job, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: status %d: %.500s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, b)
	}
	var j bulk.Job
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("%s %s: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	return &j, nil
}

// jobPollInterval is how often waitJob asks for a job.
const jobPollInterval = 200 * time.Millisecond

// waitJob polls GET /api/v1/jobs/{id} until the job is final, for at
// most limit.
func waitJob(ctx context.Context, baseURL, id string, limit time.Duration) (*bulk.Job, error) {
	deadline := time.Now().Add(limit)
	for {
		resp, err := adminRequest(ctx, http.MethodGet, baseURL+"/api/v1/jobs/"+id, "", nil, 0)
		if err != nil {
			return nil, err
		}
		j, err := decodeJob(resp, http.StatusOK)
		if err != nil || j.State.Final() {
			return j, err
		}
		if time.Now().After(deadline) {
			return j, fmt.Errorf("job %s still %s after %s (%d of %d processed)", id, j.State, limit, j.Progress.Processed, j.Progress.Total)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(jobPollInterval):
		}
	}
}
