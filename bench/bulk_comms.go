package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm/app"
	"github.com/ispstack/crm/bulk"
	"github.com/ispstack/crm/bulk/notify"
	"github.com/ispstack/crm/customer"
	"github.com/ispstack/crm/httpapi"
	"github.com/ispstack/crm/store"
)

// smsSecret signs the comms phase's webhook requests.
const smsSecret = "bench sms webhook secret"

// commsBody is the comms phase's SMS template.
const commsBody = "Hi {{.Name}}, planned maintenance on the network serving account {{.AccountNumber}} tonight 01:00-03:00. Reply STOP to opt out."

// commsResult is what the comms phase measured.
type commsResult struct {
	consenting int     // the consenting customers the filter was drawn for
	sendRate   float64 // the bulk.Options.SendRate limit
	filter     string
	job        *jobView
	queued     time.Duration // submit to the job's end: every message queued
	received   time.Duration // submit to the receiver's last request
	settled    time.Duration // submit to every message stored as sent or failed
	receiver   receiverStats
	run        *runResult // its elapsed time (to the last settled) and foreign CPU
}

// recipients is how many messages the job queued.
func (r *commsResult) recipients() int { return r.job.Counts.Created }

// rate is the messages/s from submit to the last request received.
func (r *commsResult) rate() float64 { return float64(r.receiver.count) / r.received.Seconds() }

// comms measures POST /api/v1/customers/bulk-communication (sms, category
// service) to the newest loaded customers, -comms-rows of whom consent
// to service notifications (the others are skipped as opted out): a
// created_after/created_before filter, since a list of that many ids
// exceeds the API's 1 MiB body limit. The webhook notifier posts to a
// receiver on a loopback port; the figure is messages/s from the submit
// until the receiver has every queued message, and the run ends when
// every one is stored as sent. The runner and senders run in this
// process as a server's do, paced at -send-rate.
func (b *bench) comms(ctx context.Context, pool *pgxpool.Pool, st store.Store, cipher *customer.TaxIDCipher, keys []httpapi.APIKey, logger *slog.Logger, maxID string) (*commsResult, error) {
	// Every loaded customer has a phone; closed ones are deleted.
	var after, before time.Time
	var consenting int
	err := pool.QueryRow(ctx, `WITH c AS (
			SELECT created_at FROM customers
			WHERE id <= $1 AND deleted_at IS NULL AND service_notifications AND phone IS NOT NULL
			ORDER BY created_at DESC LIMIT $2)
		SELECT min(created_at), count(*), (SELECT max(created_at) FROM customers WHERE id <= $1) FROM c`, maxID, b.cfg.commsRows).Scan(&after, &consenting, &before)
	if err != nil {
		return nil, err
	}
	if consenting < b.cfg.commsRows { // a small database: the report gives the count
		log.Printf("comms: %d consenting customers with a phone, fewer than -comms-rows %d", consenting, b.cfg.commsRows)
	}
	filter := map[string]string{ // both bounds are exclusive
		"created_after":  after.Add(-time.Microsecond).UTC().Format(time.RFC3339Nano),
		"created_before": before.Add(time.Microsecond).UTC().Format(time.RFC3339Nano),
	}
	body, err := json.Marshal(map[string]any{"filter": filter, "channel": notify.ChannelSMS, "category": bulk.CategoryService, "body": commsBody})
	if err != nil {
		return nil, err
	}

	recv := newSMSReceiver(smsSecret)
	rs, err := serve("sms-gateway", recv)
	if err != nil {
		return nil, err
	}
	defer rs.close()
	hook, err := notify.NewWebhook(rs.url+"/sms", smsSecret, nil)
	if err != nil {
		return nil, err
	}
	opts := app.Options{TaxIDs: cipher, Logger: logger, Bulk: bulk.Options{Notifier: hook, SendRate: b.cfg.sendRate}}
	srv, err := startBulkServer(ctx, "comms", st, opts, keys)
	if err != nil {
		return nil, err
	}
	defer srv.close()

	res := &commsResult{consenting: consenting, sendRate: b.cfg.sendRate, filter: fmt.Sprintf("created_after %s, created_before %s", filter["created_after"], filter["created_before"])}
	limit := 10*time.Minute + time.Duration(consenting)*5*time.Millisecond
	waitQuiet()
	stop := b.profile("comms")
	res.run, err = measured(func() (*runResult, error) {
		start := time.Now()
		resp, err := adminRequest(ctx, http.MethodPost, srv.url+"/api/v1/customers/bulk-communication", "application/json", bytes.NewReader(body), int64(len(body)))
		if err != nil {
			return nil, err
		}
		j, err := decodeJob(resp, http.StatusAccepted)
		if err != nil {
			return nil, err
		}
		// Every message queued: the job's end (each GET counts the
		// messages, so not too often).
		if res.job, err = waitJob(ctx, srv.url, j.ID, 500*time.Millisecond, limit, final); err != nil {
			return nil, err
		}
		if res.job.State != bulk.StateSucceeded {
			return nil, fmt.Errorf("comms: job %s %s: %s", j.ID, res.job.State, res.job.Failure)
		}
		res.queued = res.job.FinishedAt.Sub(start)
		// Every message received.
		for recv.stats().count < res.recipients() {
			if time.Now().After(start.Add(limit)) {
				return nil, fmt.Errorf("comms: after %s, %d requests received of %d queued", limit, recv.stats().count, res.recipients())
			}
			time.Sleep(20 * time.Millisecond)
		}
		res.receiver = recv.stats()
		res.received = res.receiver.last.Sub(start)
		// Every message stored as sent or failed.
		if res.job, err = waitJob(ctx, srv.url, j.ID, 100*time.Millisecond, limit, func(j *jobView) bool {
			return j.Messages != nil && j.Messages.Sent+j.Messages.Failed >= j.Counts.Created
		}); err != nil {
			return nil, err
		}
		res.settled = time.Since(start)
		res.receiver = recv.stats()
		return &runResult{elapsed: res.settled}, nil
	})
	stop()
	if err != nil {
		return nil, err
	}
	m := res.job.Messages
	log.Printf("comms: %d queued (skipped: %s) in %s; %d received in %s (%.0f messages/s), all settled in %s (sent %d, failed %d); bad signatures %d, repeats %d; foreign CPU %.2f cores",
		res.recipients(), countsText(res.job.SkippedBy), res.queued.Round(time.Millisecond), res.receiver.count, res.received.Round(time.Millisecond),
		res.rate(), res.settled.Round(time.Millisecond), m.Sent, m.Failed, res.receiver.badSig, res.receiver.repeat, res.run.foreign)
	return res, nil
}
