package bulk

import (
	"context"
	"time"

	"github.com/ispstack/crm/bulk/notify"
)

// MessageStatus is where one recipient's message stands.
type MessageStatus string

// The message statuses.
const (
	// MessageQueued: in the outbox, to be sent (again, after a failure,
	// at DueAt).
	MessageQueued MessageStatus = "queued"
	// MessageSent: the notifier accepted it.
	MessageSent MessageStatus = "sent"
	// MessageFailed: refused for good, or failed too often.
	MessageFailed MessageStatus = "failed"
	// MessageSkipped: not sent, for SkipReason.
	MessageSkipped MessageStatus = "skipped"
)

// The reasons a recipient is skipped.
const (
	SkipOptedOut  = "opted_out"
	SkipNoAddress = "no_address"
	SkipClosed    = "closed"
)

// Message is one recipient's message of a communication job: its outbox
// row and its delivery status. A job has at most one per customer.
type Message struct {
	ID         string         `json:"id"`
	JobID      string         `json:"job_id"`
	CustomerID string         `json:"customer_id"`
	Channel    notify.Channel `json:"channel"`
	// To is the address used ("" when skipped before one was known).
	To      string        `json:"to"`
	Subject string        `json:"subject,omitempty"`
	Body    string        `json:"body"`
	Status  MessageStatus `json:"status"`
	// SkipReason says why a skipped message was not sent.
	SkipReason string `json:"skip_reason,omitempty"`
	Attempts   int    `json:"attempts"`
	// LastError is the last failure, for people.
	LastError string     `json:"last_error,omitempty"`
	SentAt    *time.Time `json:"sent_at"`
	// DueAt is when a sender may claim the message: set while queued (a
	// retry's time, or the end of a sender's lease), nil otherwise.
	DueAt *time.Time `json:"-"`
	// ClaimedBy is the claim of the sender holding it ("" when none).
	ClaimedBy string    `json:"-"`
	Version   int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MessageRepository is the outbox of communication jobs. As every
// Repository, it copies values in and out, never returns (nil, nil), and
// reports failures as *crm.Error codes. store.Store embeds it.
type MessageRepository interface {
	// InsertMessages adds messages in one statement; a message whose job
	// already has one for its customer is left out (not an error), so a
	// batch retried after a crash queues nobody twice. It returns how
	// many it added. not_found when the job does not exist.
	InsertMessages(ctx context.Context, ms []Message) (int, error)
	// GetMessage returns a message of the job; not_found when absent.
	GetMessage(ctx context.Context, jobID, id string) (*Message, error)
	// UpdateMessage stores m over the row whose version is m.Version-1;
	// not_found when absent, precondition_failed when at another version.
	UpdateMessage(ctx context.Context, m *Message) error
	// ListMessages returns up to limit (all when <= 0) messages of the
	// job ordered by id, strictly after afterID ("" for the first), of
	// status when it is not "".
	ListMessages(ctx context.Context, jobID, afterID string, status MessageStatus, limit int) ([]Message, error)
	// CountMessages counts the job's messages by status.
	CountMessages(ctx context.Context, jobID string) (map[MessageStatus]int, error)
	// DueMessages returns up to limit messages of any job whose DueAt is
	// at or before now, earliest due first. Inside a transaction the rows
	// stay locked and rows locked by another transaction are skipped
	// (FOR UPDATE SKIP LOCKED), so two senders never claim one message.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
	// RedactMessages replaces To, Subject and Body of every message of
	// the customer with crm.Redacted (when the customer is erased: what
	// was sent stays countable, not readable).
	RedactMessages(ctx context.Context, customerID string) error
}
