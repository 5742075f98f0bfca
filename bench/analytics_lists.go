package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// listPages is how deep the ranked and segment list mixes page: the first
// page and up to listPages-1 pages after it, followed by their cursors.
const listPages = 20

// segmentMinMRR is the min_mrr rule of the benchmark's segment, in the
// currency's units: the history customers pay 30 to 120 a month (see
// loadHistory), the others nothing.
const segmentMinMRR = 50

// createSegment creates, through the API with the admin key, a segment of
// three rules (a state, min_mrr and a churn level) that selects a real
// share of the history customers: the state and level are the most common
// pair among the customers whose profile passes min_mrr. It returns the
// segment's id.
func (b *bench) createSegment(ctx context.Context, admin *goClient, pool *pgxpool.Pool, baseURL string, res *analyticsResult) (string, error) {
	var state, level string
	err := pool.QueryRow(ctx, `SELECT c.billing_state, a.churn_level FROM customer_analytics a JOIN customers c ON c.id = a.customer_id
		WHERE a.mrr >= $1 AND c.deleted_at IS NULL GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`, segmentMinMRR*100).Scan(&state, &level)
	if err != nil {
		return "", fmt.Errorf("segment rules: %w", err)
	}
	rules := map[string]any{"state": state, "min_mrr": segmentMinMRR, "churn_level": level}
	body, err := json.Marshal(map[string]any{
		"name":        fmt.Sprintf("bench %s", time.Now().UTC().Format(time.RFC3339Nano)),
		"description": "Created by the benchmark; its cleanup deletes it.",
		"rules":       rules,
	})
	if err != nil {
		return "", err
	}
	status, out, err := admin.do(ctx, baseURL, request{method: http.MethodPost, path: "/api/v1/customers/segments", body: body})
	if err != nil || status != http.StatusCreated {
		return "", fmt.Errorf("POST /api/v1/customers/segments: status %d, %v: %.300s", status, err, out)
	}
	var seg struct {
		ID          string          `json:"id"`
		MemberCount int             `json:"member_count"`
		Rules       json.RawMessage `json:"rules"`
	}
	if err := json.Unmarshal(out, &seg); err != nil {
		return "", err
	}
	res.segmentRules, res.segmentMembers = string(seg.Rules), seg.MemberCount
	log.Printf("segment %s: rules %s, %d members", seg.ID, seg.Rules, seg.MemberCount)
	return seg.ID, nil
}

// pagedMix reads the list at path (its query ends in parameters, so a
// cursor is appended with &) and up to pages-1 pages after it, and returns
// a mix of requests, half the first page and half the following ones, and
// how many customers those pages held.
func (b *bench) pagedMix(ctx context.Context, baseURL, path string, pages int) ([]request, int, error) {
	first := request{kind: "first page", method: http.MethodGet, path: path}
	var next []request
	items := 0
	for req := first; ; {
		status, body, err := b.client.do(ctx, baseURL, req)
		if err != nil || status != http.StatusOK {
			return nil, 0, fmt.Errorf("GET %s: status %d, %v: %.300s", req.path, status, err, body)
		}
		var page struct {
			Customers  []json.RawMessage `json:"customers"`
			NextCursor *string           `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return nil, 0, fmt.Errorf("GET %s: %w", req.path, err)
		}
		items += len(page.Customers)
		if page.NextCursor == nil || len(next) == pages-1 {
			break
		}
		req = request{kind: "following pages", method: http.MethodGet, path: path + "&cursor=" + url.QueryEscape(*page.NextCursor)}
		next = append(next, req)
	}
	if items == 0 {
		log.Printf("GET %s lists no customer: its latency measures an empty list", path)
	}
	mix := []request{first}
	for _, r := range next {
		mix = append(mix, first, r)
	}
	return mix, items, nil
}
