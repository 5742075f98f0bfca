package main

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ispstack/crm"
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
	recipients int
	sendRate   float64 // the bulk.Options.SendRate limit
	job        *bulk.Job
	queued     time.Duration // submit to the job's end: every message queued
	received   time.Duration // submit to the receiver's last request
	settled    time.Duration // submit to every message stored as sent or failed
	counts     map[bulk.MessageStatus]int
	receiver   receiverStats
	run        *runResult // its elapsed time (to the last settled) and foreign CPU
}

// rate is the messages/s from submit to the last request received.
func (r *commsResult) rate() float64 { return float64(r.receiver.count) / r.received.Seconds() }

// comms measures a bulk communication (sms, category service) to
// -comms-rows (or as many as there are) loaded customers who consent to service notifications and
// have a phone, through the webhook notifier to a receiver on a loopback
// port: messages/s from submit until the receiver has every message, and
// until every message is stored as sent. The job is submitted through the
// Go API (bulk.Service.SubmitCommunication): main has no
// bulk-communication route yet. Its runner and senders run in this
// process as a server's do, paced at -send-rate.
func (b *bench) comms(ctx context.Context, pool *pgxpool.Pool, st store.Store, cipher *customer.TaxIDCipher, keys []httpapi.APIKey, logger *slog.Logger, maxID string) (*commsResult, error) {
	rows, err := pool.Query(ctx, `SELECT id FROM customers
		WHERE id <= $1 AND deleted_at IS NULL AND service_notifications AND phone IS NOT NULL
		ORDER BY id LIMIT $2`, maxID, b.cfg.commsRows)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	switch {
	case len(ids) == 0:
		return nil, fmt.Errorf("comms: no consenting customer with a phone")
	case len(ids) < b.cfg.commsRows: // a small database: the report gives the count
		log.Printf("comms: %d consenting customers with a phone, fewer than -comms-rows %d", len(ids), b.cfg.commsRows)
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
	svc := srv.svc.Bulk

	res := &commsResult{recipients: len(ids), sendRate: b.cfg.sendRate}
	limit := 10*time.Minute + time.Duration(len(ids))*5*time.Millisecond
	waitQuiet()
	stop := b.profile("comms")
	res.run, err = measured(func() (*runResult, error) {
		actx := crm.WithActor(ctx, crm.Actor{ID: httpapi.KeyID(benchAdminKey), RequestID: "bench-comms"})
		start := time.Now()
		j, err := svc.SubmitCommunication(actx, bulk.CommunicationRequest{Target: bulk.Target{CustomerIDs: ids},
			Channel: notify.ChannelSMS, Category: bulk.CategoryService, Body: commsBody})
		if err != nil {
			return nil, err
		}
		deadline := start.Add(limit)
		for {
			if res.job, err = svc.Get(ctx, j.ID); err != nil {
				return nil, err
			}
			if res.job.State.Final() && res.queued == 0 {
				res.queued = res.job.FinishedAt.Sub(start)
				if res.job.State != bulk.StateSucceeded {
					return nil, fmt.Errorf("comms: job %s %s: %s", j.ID, res.job.State, res.job.Failure)
				}
			}
			if res.queued > 0 && recv.stats().count >= res.job.Counts.Created {
				if res.counts, err = svc.MessageCounts(ctx, j.ID); err != nil {
					return nil, err
				}
				if res.counts[bulk.MessageSent]+res.counts[bulk.MessageFailed] >= res.job.Counts.Created {
					break
				}
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("comms: after %s, job %s %s, %d requests received of %d queued", limit, j.ID, res.job.State, recv.stats().count, res.job.Counts.Created)
			}
			time.Sleep(100 * time.Millisecond)
		}
		res.settled = time.Since(start)
		res.receiver = recv.stats()
		res.received = res.receiver.last.Sub(start)
		return &runResult{elapsed: res.settled}, nil
	})
	stop()
	if err != nil {
		return nil, err
	}
	log.Printf("comms: %d recipients, %d queued (skipped: %s) in %s; %d received in %s (%.0f messages/s), all settled in %s (%s); bad signatures %d, repeats %d; foreign CPU %.2f cores",
		res.recipients, res.job.Counts.Created, countsText(res.job.SkippedBy), res.queued.Round(time.Millisecond), res.receiver.count, res.received.Round(time.Millisecond),
		res.rate(), res.settled.Round(time.Millisecond), countsText(res.counts), res.receiver.badSig, res.receiver.repeat, res.run.foreign)
	return res, nil
}
