package notify

import (
	"context"
	"fmt"
)

// Router sends each message through the notifier of its channel. A
// channel without one refuses its messages with ErrPermanent.
type Router struct {
	Email Notifier
	SMS   Notifier
}

// Send hands m to the notifier of m.Channel.
func (r Router) Send(ctx context.Context, m Message) error {
	var n Notifier
	switch m.Channel {
	case ChannelEmail:
		n = r.Email
	case ChannelSMS:
		n = r.SMS
	}
	if n == nil {
		return permanent(fmt.Errorf("notify: no notifier for %s", m.Channel))
	}
	return n.Send(ctx, m)
}
