// Package notify delivers messages to customers: by email over SMTP, by
// SMS through an HTTP gateway webhook, or, when neither is configured,
// into the log. A Notifier sends one message; the bulk communication
// workflow (package bulk) decides who gets what, queues the messages in
// its outbox, and calls a Notifier for each, retrying and pacing it.
package notify

import (
	"context"
	"errors"
)

// Channel is how a message travels.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Message is one message to one recipient.
type Message struct {
	// ID identifies the message; a Notifier passes it on so the far side
	// can drop a repeat (SMTP Message-ID, the webhook's Idempotency-Key):
	// a message sent again after a crash is recognisable as the same one.
	ID      string
	Channel Channel
	// To is an email address (ChannelEmail) or an E.164 phone number
	// (ChannelSMS).
	To string
	// Subject is an email's subject; SMS have none.
	Subject string
	Body    string
}

// Notifier sends messages.
type Notifier interface {
	// Send delivers m. An error wrapping ErrPermanent means trying again
	// cannot help (the recipient was refused); any other error may pass
	// on a later try. Send must return when ctx ends.
	Send(ctx context.Context, m Message) error
}

// ErrPermanent marks a failure that a retry cannot fix.
var ErrPermanent = errors.New("notify: permanent failure")
