package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder is a Notifier remembering the ids it was given.
type recorder struct{ ids []string }

func (r *recorder) Send(_ context.Context, m Message) error {
	r.ids = append(r.ids, m.ID)
	return nil
}

func TestRouter(t *testing.T) {
	tests := []struct {
		name               string
		router             func(email, sms *recorder) Router
		m                  Message
		wantEmail, wantSMS []string
		wantErr            string
	}{
		{
			name:      "email",
			router:    func(email, sms *recorder) Router { return Router{Email: email, SMS: sms} },
			m:         Message{ID: "e1", Channel: ChannelEmail},
			wantEmail: []string{"e1"},
		},
		{
			name:    "sms",
			router:  func(email, sms *recorder) Router { return Router{Email: email, SMS: sms} },
			m:       Message{ID: "s1", Channel: ChannelSMS},
			wantSMS: []string{"s1"},
		},
		{
			name:    "no sms notifier",
			router:  func(email, _ *recorder) Router { return Router{Email: email} },
			m:       Message{ID: "s1", Channel: ChannelSMS},
			wantErr: "notify: no notifier for sms",
		},
		{
			name:    "no email notifier",
			router:  func(_, sms *recorder) Router { return Router{SMS: sms} },
			m:       Message{ID: "e1", Channel: ChannelEmail},
			wantErr: "notify: no notifier for email",
		},
		{
			name:    "unknown channel",
			router:  func(email, sms *recorder) Router { return Router{Email: email, SMS: sms} },
			m:       Message{ID: "f1", Channel: "fax"},
			wantErr: "notify: no notifier for fax",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var email, sms recorder
			err := tt.router(&email, &sms).Send(context.Background(), tt.m)
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr || !errors.Is(err, ErrPermanent)) {
				t.Errorf("Send = %v, want ErrPermanent %q", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.wantEmail, email.ids); diff != "" {
				t.Errorf("sent by email (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSMS, sms.ids); diff != "" {
				t.Errorf("sent by SMS (-want +got):\n%s", diff)
			}
		})
	}
}
