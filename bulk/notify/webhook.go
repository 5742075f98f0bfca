package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// webhookConns is how many connections the default client keeps open to
// the gateway: enough that a bulk send's workers never wait to connect.
const webhookConns = 256

// webhookTimeout bounds one request of the default client.
const webhookTimeout = 30 * time.Second

// webhookReadLimit is how much of a gateway's answer is read: its first
// bytes explain a refusal; reading more would let a misbehaving gateway
// slow the sender down.
const webhookReadLimit = 4 << 10

// Webhook sends messages (SMS) to an HTTP gateway, one POST each.
//
// The request body is JSON: {"id", "channel", "to", "body"}, with headers
// Content-Type: application/json, Idempotency-Key: the message id (the
// same at every try, so the gateway can drop a repeat), and a signature
// in the manner of Stripe's webhooks:
//
//	X-Signature-Timestamp: <unix seconds>
//	X-Signature: sha256=<hex HMAC-SHA256, keyed with the secret, of timestamp + "." + body>
//
// The gateway recomputes the HMAC over the timestamp header, a dot and
// the raw body, compares it in constant time, and rejects a timestamp
// older than a few minutes, so a captured request cannot be replayed.
//
// A 2xx answer means sent; 408, 429 and 5xx, like a network failure or
// the end of the context, may pass on a later try; any other 4xx is
// ErrPermanent. No other part of the answer is used. It is safe for
// concurrent use.
type Webhook struct {
	url    string
	secret []byte
	client *http.Client
}

// NewWebhook returns a notifier posting to rawURL (SMS_WEBHOOK_URL),
// signed with secret (SMS_WEBHOOK_SECRET). client sends the requests;
// when nil, one that keeps many connections to the gateway alive and
// follows no redirects.
func NewWebhook(rawURL, secret string, client *http.Client) (*Webhook, error) {
	// The errors do not repeat the URL, which may carry a gateway's token.
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("notify: webhook URL is not an http or https URL with a host")
	}
	if secret == "" {
		return nil, errors.New("notify: webhook: no secret to sign with")
	}
	if client == nil {
		client = newWebhookClient()
	}
	return &Webhook{url: rawURL, secret: []byte(secret), client: client}, nil
}

// newWebhookClient is the default client: the default transport with
// room for webhookConns idle connections to the gateway, a timeout per
// request, and redirects not followed (a POST would turn into a GET).
func newWebhookClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = webhookConns
	t.MaxIdleConnsPerHost = webhookConns
	return &http.Client{
		Transport: t,
		Timeout:   webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// webhookBody is the JSON the gateway receives.
type webhookBody struct {
	ID      string  `json:"id"`
	Channel Channel `json:"channel"`
	To      string  `json:"to"`
	Body    string  `json:"body"`
}

// Send posts m to the gateway.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	// Marshalling strings cannot fail.
	body, _ := json.Marshal(webhookBody{ID: m.ID, Channel: m.Channel, To: m.To, Body: m.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return permanent(fmt.Errorf("notify: webhook: %w", err))
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", m.ID)
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature", "sha256="+sign(w.secret, ts, body))
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: webhook: %w", err)
	}
	defer resp.Body.Close()
	// What is left of a short answer is read so the connection is reused.
	head, err := io.ReadAll(io.LimitReader(resp.Body, webhookReadLimit))
	switch code := resp.StatusCode; {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests, code >= 500:
		return fmt.Errorf("notify: webhook: the gateway answered %s%s", resp.Status, excerpt(head, err))
	case code >= 400:
		return permanent(fmt.Errorf("notify: webhook: the gateway refused the message: %s%s", resp.Status, excerpt(head, err)))
	default:
		return fmt.Errorf("notify: webhook: unexpected answer %s", resp.Status)
	}
}

// sign is the hex HMAC-SHA256 of ts + "." + body keyed with secret.
func sign(secret []byte, ts string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// excerptLen is how much of a refusal's body goes into the error.
const excerptLen = 200

// excerpt is the start of a gateway's answer for an error message, on one
// line, or "" when there is none.
func excerpt(head []byte, readErr error) string {
	s := strings.Join(strings.Fields(string(head)), " ")
	if readErr != nil || s == "" {
		return ""
	}
	if r := []rune(s); len(r) > excerptLen {
		s = string(r[:excerptLen]) + "…"
	}
	return ": " + s
}
