package telco

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/analytics"
)

// retries bounds how often one request is retried when the server asks to
// (429 rate_limited, 503 unavailable).
const retries = 8

// Client loads plans into a running server and reads their churn risk,
// through the HTTP API (API.md).
type Client struct {
	// URL is the server's base URL, such as http://localhost:8080.
	URL string
	// Key is the API key, sent as a bearer token: role agent to load,
	// viewer to evaluate.
	Key string
	// HTTP sends the requests; http.DefaultClient when nil.
	HTTP *http.Client
	// Concurrency is how many customers are loaded or scored at once; 1
	// when below 1.
	Concurrency int
}

// LoadReport counts what Load did.
type LoadReport struct {
	// Loaded counts the customers this load created, or completed or
	// replayed from an earlier load of the same day.
	Loaded int
	// Existing counts the customers skipped because a customer with their
	// email was already there (loaded before).
	Existing int
}

// Load loads the plans: for each, it creates the customer, adds its
// services and posts its invoices and payments in batches of at most
// analytics.MaxBatch. It can be run again: every POST carries an
// Idempotency-Key derived from its content (the customer's from the whole
// plan), so a load interrupted the same day completes where it stopped,
// and a customer whose email is already taken otherwise (by a load of
// another day, whose plans start on other dates) is counted as Existing
// and left alone. A phone number another customer holds is
// replaced by the plan's next Phone candidate. The first other failure
// stops the load.
func (c *Client) Load(ctx context.Context, plans []Plan) (LoadReport, error) {
	var (
		mu  sync.Mutex
		rep LoadReport
	)
	err := c.each(ctx, len(plans), func(ctx context.Context, i int) error {
		created, err := c.load(ctx, plans[i])
		mu.Lock()
		defer mu.Unlock()
		if created {
			rep.Loaded++
		} else if err == nil {
			rep.Existing++
		}
		return err
	})
	return rep, err
}

// load loads one plan and reports whether it created the customer (false:
// its email was taken).
func (c *Client) load(ctx context.Context, p Plan) (bool, error) {
	id := p.Row.CustomerID
	var created struct {
		ID string `json:"id"`
	}
	for attempt := 1; ; attempt++ {
		// The key of the customer's create covers the whole plan, so a load
		// of another day (other service start dates) is not taken for a
		// replay of this one.
		whole, err := json.Marshal(p)
		if err != nil {
			return false, err
		}
		err = c.do(ctx, http.MethodPost, "/api/v1/customers", p.Customer, idempotencyKey(whole), &created)
		var pe *problemError
		switch {
		case err == nil:
		case errors.As(err, &pe) && pe.Status == http.StatusConflict && hasField(pe.Errors, "email"):
			return false, nil
		case errors.As(err, &pe) && attempt < phoneAttempts && phoneTaken(crm.Code(pe.Code), pe.Errors):
			p.Customer.Phone = Phone(id, attempt)
			continue
		default:
			return false, fmt.Errorf("telco: creating %s: %w", id, err)
		}
		break
	}
	base := "/api/v1/customers/" + url.PathEscape(created.ID)
	for _, s := range p.Services {
		if err := c.do(ctx, http.MethodPost, base+"/services", s, "", nil); err != nil {
			return false, fmt.Errorf("telco: a service of %s: %w", id, err)
		}
	}
	for _, b := range batches(p.Invoices) {
		if err := c.do(ctx, http.MethodPost, base+"/invoices", map[string]any{"invoices": b}, "", nil); err != nil {
			return false, fmt.Errorf("telco: the invoices of %s: %w", id, err)
		}
	}
	for _, b := range batches(p.Payments) {
		if err := c.do(ctx, http.MethodPost, base+"/payments", map[string]any{"payments": b}, "", nil); err != nil {
			return false, fmt.Errorf("telco: the payments of %s: %w", id, err)
		}
	}
	return true, nil
}

// EvalReport is what Eval measured.
type EvalReport struct {
	// Rows counts the rows of the file; Scored those whose customer was
	// found and scored, Missing the others; Churned the scored rows whose
	// Churn is Yes.
	Rows, Scored, Missing, Churned int
	// AUC is that of the scored rows' churn probabilities against their
	// Churn column (NaN when one class is missing).
	AUC float64
}

// Eval finds each row's customer by its email (<customerID>@example.com,
// compared without case), reads its churn risk (GET
// /api/v1/customers/{id}/churn-risk) and measures the AUC of the
// probabilities against the rows' Churn column.
func (c *Client) Eval(ctx context.Context, rows []Row) (EvalReport, error) {
	rep := EvalReport{Rows: len(rows)}
	if len(rows) == 0 {
		return rep, errNoRows
	}
	ids, err := c.customersByEmail(ctx)
	if err != nil {
		return rep, err
	}
	probs := make([]float64, len(rows))
	found := make([]bool, len(rows))
	err = c.each(ctx, len(rows), func(ctx context.Context, i int) error {
		id, ok := ids[strings.ToLower(Email(rows[i].CustomerID))]
		if !ok {
			return nil
		}
		var risk struct {
			Probability *float64 `json:"probability"`
		}
		if err := c.do(ctx, http.MethodGet, "/api/v1/customers/"+url.PathEscape(id)+"/churn-risk", nil, "", &risk); err != nil {
			return fmt.Errorf("telco: the churn risk of %s: %w", rows[i].CustomerID, err)
		}
		if risk.Probability == nil {
			return fmt.Errorf("telco: the churn risk of %s has no probability", rows[i].CustomerID)
		}
		probs[i], found[i] = *risk.Probability, true
		return nil
	})
	if err != nil {
		return rep, err
	}
	var scores []float64
	var labels []bool
	for i, r := range rows {
		if !found[i] {
			rep.Missing++
			continue
		}
		scores, labels = append(scores, probs[i]), append(labels, r.Churn)
		if r.Churn {
			rep.Churned++
		}
	}
	rep.Scored = len(scores)
	rep.AUC = analytics.AUC(scores, labels)
	return rep, nil
}

// customersByEmail lists the customers whose email holds @example.com, as
// a map from the lower-cased email to the id.
func (c *Client) customersByEmail(ctx context.Context) (map[string]string, error) {
	ids := map[string]string{}
	cursor := ""
	for {
		q := url.Values{"q": {"@example.com"}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var page struct {
			Customers []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"customers"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := c.do(ctx, http.MethodGet, "/api/v1/customers?"+q.Encode(), nil, "", &page); err != nil {
			return nil, fmt.Errorf("telco: listing the customers: %w", err)
		}
		for _, cu := range page.Customers {
			ids[strings.ToLower(cu.Email)] = cu.ID
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return ids, nil
		}
		cursor = *page.NextCursor
	}
}

// each runs fn for 0 … n−1, Concurrency at a time, and returns the first
// error (which cancels the rest).
func (c *Client) each(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(max(c.Concurrency, 1))
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return fn(ctx, i) })
	}
	return g.Wait()
}

// problemError is an API error answer (application/problem+json).
type problemError struct {
	Status int              `json:"status"`
	Code   string           `json:"code"`
	Detail string           `json:"detail"`
	Errors []crm.FieldError `json:"errors"`
}

func (e *problemError) Error() string {
	s := fmt.Sprintf("%d %s", e.Status, e.Code)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	for _, f := range e.Errors {
		s += fmt.Sprintf("; %s %s", f.Field, f.Message)
	}
	return s
}

func hasField(fields []crm.FieldError, name string) bool {
	for _, f := range fields {
		if f.Field == name {
			return true
		}
	}
	return false
}

// do sends one request with body (JSON; none when nil) and decodes a 2xx
// answer into out (when not nil). A POST carries an Idempotency-Key: key,
// or when key is "" one derived from its path and body, so that sending
// it again replays the first answer. A 429 or 503 is retried after its
// Retry-After; any other non-2xx is a *problemError.
func (c *Client) do(ctx context.Context, method, path string, body any, key string, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return err
		}
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	for try := 0; ; try++ {
		req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.URL, "/")+path, bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+c.Key)
		req.Header.Set("Accept", "application/json")
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if method == http.MethodPost {
			if key == "" {
				key = idempotencyKey(append([]byte(path+"\n"), payload...))
			}
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			if out == nil {
				return nil
			}
			return json.Unmarshal(b, out)
		case (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) && try < retries:
			if err := sleep(ctx, retryAfter(resp.Header.Get("Retry-After"), try)); err != nil {
				return err
			}
			continue
		}
		pe := &problemError{Status: resp.StatusCode}
		if json.Unmarshal(b, pe) != nil || pe.Code == "" {
			pe.Code, pe.Detail = http.StatusText(resp.StatusCode), strings.TrimSpace(string(b))
		}
		pe.Status = resp.StatusCode
		return pe
	}
}

// idempotencyKey is the Idempotency-Key of a request whose content is b.
func idempotencyKey(b []byte) string {
	sum := sha256.Sum256(b)
	return fmt.Sprintf("telco-%x", sum[:16])
}

// retryAfter is the wait a Retry-After header of seconds asks for, or a
// backoff doubling from 100 ms when it says nothing usable.
func retryAfter(h string, try int) time.Duration {
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	return 100 * time.Millisecond << try
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
