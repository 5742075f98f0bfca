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

// jobView is a job as GET /api/v1/jobs/{id} shows it: a communication's
// with its messages by status.
type jobView struct {
	bulk.Job
	Messages *struct {
		Queued, Sent, Failed, Skipped int
	} `json:"messages"`
}

// decodeJob reads the job of a response with status want.
func decodeJob(resp *http.Response, want int) (*jobView, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("%s %s: status %d: %.500s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, b)
	}
	var j jobView
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("%s %s: %w", resp.Request.Method, resp.Request.URL.Path, err)
	}
	return &j, nil
}

// getJob reads GET /api/v1/jobs/{id}.
func getJob(ctx context.Context, baseURL, id string) (*jobView, error) {
	resp, err := adminRequest(ctx, http.MethodGet, baseURL+"/api/v1/jobs/"+id, "", nil, 0)
	if err != nil {
		return nil, err
	}
	return decodeJob(resp, http.StatusOK)
}

// waitJob polls the job every interval until ready says it is done, for
// at most limit.
func waitJob(ctx context.Context, baseURL, id string, interval, limit time.Duration, ready func(*jobView) bool) (*jobView, error) {
	deadline := time.Now().Add(limit)
	for {
		j, err := getJob(ctx, baseURL, id)
		if err != nil || ready(j) {
			return j, err
		}
		if time.Now().After(deadline) {
			return j, fmt.Errorf("job %s still %s after %s (%d of %d processed)", id, j.State, limit, j.Progress.Processed, j.Progress.Total)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(interval):
		}
	}
}

// final is waitJob's ready for a job that has ended.
func final(j *jobView) bool { return j.State.Final() }
