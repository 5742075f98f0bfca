package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLog(t *testing.T) {
	const body = "Dear Ada, your account ACC-12345 is overdue."
	tests := []struct {
		name string
		m    Message
		want map[string]any
	}{
		{
			name: "email",
			m:    Message{ID: "m1", Channel: ChannelEmail, To: "ada@example.com", Subject: "Your invoice", Body: body},
			want: map[string]any{"id": "m1", "channel": "email", "to": "a***@example.com", "subject": "Your invoice", "body_bytes": float64(len(body))},
		},
		{
			name: "sms",
			m:    Message{ID: "m2", Channel: ChannelSMS, To: "+15550001234", Body: body},
			want: map[string]any{"id": "m2", "channel": "sms", "to": "+*******1234", "subject": "", "body_bytes": float64(len(body))},
		},
		{
			name: "unknown channel",
			m:    Message{ID: "m3", Channel: "fax", To: "+15550001234", Body: body},
			want: map[string]any{"id": "m3", "channel": "fax", "to": "***", "subject": "", "body_bytes": float64(len(body))},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			n := NewLog(slog.New(slog.NewJSONHandler(&buf, nil)))
			if err := n.Send(context.Background(), tt.m); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(buf.String(), "overdue") || strings.Contains(buf.String(), tt.m.To) {
				t.Errorf("the log shows the body or the address: %s", buf.String())
			}
			var got map[string]any
			if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			delete(got, "time")
			tt.want["level"] = "INFO"
			tt.want["msg"] = "notify: message logged, not sent"
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("log record (-want +got):\n%s", diff)
			}
		})
	}
}
