package notify

import (
	"context"
	"log/slog"

	"github.com/ispstack/crm"
)

// Log is the notifier of a server with no SMTP server nor SMS gateway
// configured: it writes each message to the log instead of sending it,
// and reports it sent. The log holds personal data only masked: the
// recipient as crm.MaskEmail or crm.MaskPhone shows it, the subject, and
// the body's length, never its text.
type Log struct {
	logger *slog.Logger
}

// NewLog returns a notifier logging to logger; slog.Default() when nil.
func NewLog(logger *slog.Logger) *Log {
	if logger == nil {
		logger = slog.Default()
	}
	return &Log{logger: logger}
}

// Send logs m at level Info.
func (l *Log) Send(ctx context.Context, m Message) error {
	l.logger.LogAttrs(ctx, slog.LevelInfo, "notify: message logged, not sent",
		slog.String("id", m.ID),
		slog.String("channel", string(m.Channel)),
		slog.String("to", maskRecipient(m)),
		slog.String("subject", m.Subject),
		slog.Int("body_bytes", len(m.Body)),
	)
	return nil
}

// maskRecipient is m.To masked as its channel's kind of address.
func maskRecipient(m Message) string {
	switch m.Channel {
	case ChannelEmail:
		return crm.MaskEmail(m.To)
	case ChannelSMS:
		return crm.MaskPhone(m.To)
	}
	return "***"
}
