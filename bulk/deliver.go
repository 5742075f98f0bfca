package bulk

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"github.com/ispstack/crm"
	"github.com/ispstack/crm/bulk/notify"
)

// runDelivery sends due messages until ctx ends.
func (s *Service) runDelivery(ctx context.Context) error {
	crm.Poll(ctx, s.opts.PollInterval, s.sendWake, s.DeliverDue, func(err error) {
		s.opts.Logger.Error("bulk: delivering messages", "err", err)
	})
	return nil
}

// DeliverDue claims up to SendBatch due messages (queued ones, retries
// whose time came, and claims whose lease ran out), sends them through
// the Notifier, Senders at a time and at most SendRate a second, and
// stores each outcome: sent; queued again after a transient failure,
// SendRetryDelay doubling per attempt; failed when refused for good or
// after MaxSendAttempts. A due message whose customer was erased since it
// was queued (its address redacted) is skipped as closed, not sent. A
// message is claimed by one sender at a time and its outcome stored only
// while the claim holds, so a job messages each recipient once; a sender
// that dies after sending but before storing the outcome makes the next
// one send again, under the same message id for the far side to
// recognise (SMTP Message-ID, the webhook's Idempotency-Key). It returns
// how many due messages it took (claimed or skipped).
func (s *Service) DeliverDue(ctx context.Context) (int, error) {
	var claimed []Message
	taken := 0
	err := s.inTx(ctx, func(ctx context.Context, r Repository) error {
		now := s.clock()
		due, err := r.DueMessages(ctx, now, s.opts.SendBatch)
		if err != nil {
			return err
		}
		taken = len(due)
		lease := now.Add(s.opts.Lease)
		claimed = make([]Message, 0, len(due))
		for i := range due {
			m := due[i]
			m.Version++
			m.UpdatedAt = now
			if m.To == crm.Redacted {
				// The customer was erased after the message was queued:
				// there is nobody left to send it to.
				m.Status, m.SkipReason, m.DueAt = MessageSkipped, SkipClosed, nil
			} else {
				m.ClaimedBy, m.DueAt = crm.NewID(), &lease
			}
			if err := r.UpdateMessage(ctx, &m); err != nil {
				return err
			}
			if m.Status == MessageQueued {
				claimed = append(claimed, m)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var g errgroup.Group
	g.SetLimit(s.opts.Senders)
	for i := range claimed {
		m := &claimed[i]
		g.Go(func() error {
			if err := s.limiter.Wait(ctx); err != nil {
				return nil // ctx ended: the lease returns the message
			}
			sent := s.opts.Notifier.Send(ctx, notify.Message{ID: m.ID, Channel: m.Channel, To: m.To, Subject: m.Subject, Body: m.Body})
			if ctx.Err() != nil && sent != nil {
				return nil
			}
			s.settle(ctx, m, sent)
			return nil
		})
	}
	return taken, g.Wait()
}

// settle stores the outcome of sending m, if m's claim still holds.
func (s *Service) settle(ctx context.Context, m *Message, sent error) {
	now := s.clock()
	m.Attempts++
	m.ClaimedBy = ""
	switch {
	case sent == nil:
		m.Status, m.SentAt, m.DueAt, m.LastError = MessageSent, &now, nil, ""
	case errors.Is(sent, notify.ErrPermanent) || m.Attempts >= s.opts.MaxSendAttempts:
		m.Status, m.DueAt, m.LastError = MessageFailed, nil, sent.Error()
	default:
		delay := s.opts.SendRetryDelay << min(m.Attempts-1, 10)
		due := now.Add(min(delay, DefaultMaxSendRetryDelay))
		m.DueAt, m.LastError = &due, sent.Error()
	}
	m.Version++
	m.UpdatedAt = now
	err := s.repo.UpdateMessage(context.WithoutCancel(ctx), m)
	switch {
	case crm.ErrorCode(err) == crm.CodePreconditionFailed:
		s.opts.Logger.Warn("bulk: message claim taken over before its outcome was stored", "message_id", m.ID, "job_id", m.JobID)
	case err != nil:
		s.opts.Logger.Error("bulk: storing a message's outcome", "message_id", m.ID, "job_id", m.JobID, "err", err)
	}
}

// ListMessages returns a page of a job's messages ordered by id, of status
// when not "": limit (1–200, 0 for the default) after cursor. Errors:
// not_found (the job), invalid (limit, cursor, status).
func (s *Service) ListMessages(ctx context.Context, jobID string, status MessageStatus, cursor string, limit int) (*crm.Page[Message], error) {
	if _, err := s.Get(ctx, jobID); err != nil {
		return nil, err
	}
	limit, err := crm.PageLimit(limit, cursor)
	if err != nil {
		return nil, err
	}
	switch status {
	case "", MessageQueued, MessageSent, MessageFailed, MessageSkipped:
	default:
		return nil, crm.Errorf(crm.CodeInvalid, "status must be queued, sent, failed or skipped")
	}
	rows, err := s.repo.ListMessages(ctx, jobID, cursor, status, limit+1)
	if err != nil {
		return nil, err
	}
	return crm.NewPage(rows, limit, func(m *Message) string { return m.ID }), nil
}

// MessageCounts counts a job's messages by status.
func (s *Service) MessageCounts(ctx context.Context, jobID string) (map[MessageStatus]int, error) {
	return s.repo.CountMessages(ctx, jobID)
}
