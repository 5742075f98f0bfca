package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testSender is the From of the tests' messages.
const testSender = "Störungsdienst <noc@isp.example>"

// newTestSMTP is a notifier for ms's URL, trusting ms's certificate,
// closed when the test ends.
func newTestSMTP(t *testing.T, ms *mailServer, rawURL string, opts SMTPOptions) *SMTP {
	t.Helper()
	opts.TLSConfig = &tls.Config{RootCAs: ms.roots}
	n, err := NewSMTP(rawURL, testSender, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	return n
}

// emailTo is a test message to rcpt.
func emailTo(id, rcpt string) Message {
	return Message{ID: id, Channel: ChannelEmail, To: rcpt, Subject: "Hello", Body: "Hello.\n"}
}

func TestSMTPDeliversOverSTARTTLSWithAuth(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{})
	m := Message{
		ID:      "job-7.msg-42",
		Channel: ChannelEmail,
		To:      "kunde@example.com",
		Subject: "Geplante Wartung in Köln – Ihr Anschluss ist am Dienstag zwischen 02:00 und 04:00 Uhr nicht erreichbar",
		Body:    "Guten Tag Jürgen Groß,\n\nam Dienstag warten wir das Netz in Ihrer Straße. " + strings.Repeat("Danke für Ihr Verständnis. ", 5) + "\n\n= Ihr NOC =\n",
	}
	before := time.Now().Truncate(time.Second)
	if err := n.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(got))
	}
	data := got[0].Data
	got[0].Data = ""
	want := received{From: "noc@isp.example", To: []string{"kunde@example.com"}, TLS: true, User: testUser}
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("envelope (-want +got):\n%s", diff)
	}
	for i, line := range strings.Split(data, "\r\n") {
		if len(line) > 78 || strings.ContainsFunc(line, func(r rune) bool { return r > 127 }) {
			t.Errorf("line %d is not 7-bit ASCII of at most 78 characters: %q", i, line)
		}
	}

	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil {
		t.Fatal(err)
	}
	date, err := msg.Header.Date()
	if err != nil {
		t.Fatal(err)
	}
	if date.Before(before) || date.After(time.Now()) {
		t.Errorf("Date %v is not the time of sending", date)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	gotHeaders := map[string]string{
		"From":                      from[0].String(),
		"To":                        msg.Header.Get("To"),
		"Subject":                   subject,
		"Message-ID":                msg.Header.Get("Message-ID"),
		"MIME-Version":              msg.Header.Get("MIME-Version"),
		"Content-Type":              msg.Header.Get("Content-Type"),
		"Content-Transfer-Encoding": msg.Header.Get("Content-Transfer-Encoding"),
		"body":                      string(body),
	}
	wantHeaders := map[string]string{
		"From":                      (&mail.Address{Name: "Störungsdienst", Address: "noc@isp.example"}).String(),
		"To":                        "<kunde@example.com>",
		"Subject":                   m.Subject,
		"Message-ID":                "<job-7.msg-42@isp.example>",
		"MIME-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"body":                      strings.ReplaceAll(m.Body, "\n", "\r\n"),
	}
	if diff := cmp.Diff(wantHeaders, gotHeaders); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	ms := startMailServer(t, modeImplicitTLS)
	n := newTestSMTP(t, ms, ms.smtpURL("smtps", true), SMTPOptions{})
	if err := n.Send(context.Background(), emailTo("m1", "a@example.com")); err != nil {
		t.Fatal(err)
	}
	got := ms.received()
	if len(got) != 1 || !got[0].TLS || got[0].User != testUser {
		t.Errorf("received %+v, want one message over TLS from %s", got, testUser)
	}
}

func TestSMTPAuthWithoutTLSOnlyToLocalhost(t *testing.T) {
	tests := []struct {
		name      string
		clearAuth bool
		wantSent  bool
	}{
		{name: "the server is this machine", clearAuth: true, wantSent: true},
		{name: "the server is elsewhere", clearAuth: false, wantSent: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := startMailServer(t, modePlain)
			n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{})
			n.clearAuth = tt.clearAuth
			err := n.Send(context.Background(), emailTo("m1", "a@example.com"))
			if tt.wantSent {
				if err != nil {
					t.Fatal(err)
				}
				if got := ms.received(); len(got) != 1 || got[0].TLS || got[0].User != testUser {
					t.Errorf("received %+v, want one message in clear from %s", got, testUser)
				}
				return
			}
			if !errors.Is(err, ErrPermanent) {
				t.Errorf("Send = %v, want ErrPermanent", err)
			}
			if got := ms.received(); len(got) != 0 {
				t.Errorf("received %+v, want nothing", got)
			}
		})
	}
}

func TestIsLocalhost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "127.0.0.1": true, "::1": true,
		"mail.example.com": false, "10.0.0.1": false, "localhost.example.com": false,
	} {
		if got := isLocalhost(host); got != want {
			t.Errorf("isLocalhost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestSMTPVerifiesCertificatesByDefault(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n, err := NewSMTP(ms.smtpURL("smtp", true), testSender, SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	err = n.Send(context.Background(), emailTo("m1", "a@example.com"))
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) || errors.Is(err, ErrPermanent) {
		t.Errorf("Send = %v, want a transient certificate error", err)
	}
	if got := ms.received(); len(got) != 0 {
		t.Errorf("received %+v, want nothing", got)
	}
}

func TestSMTPReplies(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{})
	tests := []struct {
		rcpt          string
		wantErr       string // "" for sent
		wantPermanent bool
	}{
		{rcpt: rcptRejected, wantErr: "notify: smtp: RCPT TO: 550 \"5.1.1 No such user\"", wantPermanent: true},
		{rcpt: rcptBusy, wantErr: "notify: smtp: RCPT TO: 451 \"4.3.0 Try again later\""},
		{rcpt: "not an address", wantErr: "notify: smtp: the recipient is not an email address: mail: no angle-addr", wantPermanent: true},
		{rcpt: "ok@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.rcpt, func(t *testing.T) {
			err := n.Send(context.Background(), emailTo("m-"+tt.rcpt, tt.rcpt))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("Send = %v, want %s", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrPermanent); got != tt.wantPermanent {
				t.Errorf("permanent = %v, want %v", got, tt.wantPermanent)
			}
		})
	}
	if got := ms.received(); len(got) != 1 || got[0].To[0] != "ok@example.com" {
		t.Errorf("received %+v, want the one message to ok@example.com", got)
	}
	if got := ms.connCount(); got != 1 {
		t.Errorf("%d connections, want 1: a refused recipient leaves the connection usable", got)
	}
}

func TestSMTPWrongPasswordIsPermanent(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n := newTestSMTP(t, ms, "smtp://"+testUser+":wrong@"+ms.addr, SMTPOptions{})
	err := n.Send(context.Background(), emailTo("m1", "a@example.com"))
	if !errors.Is(err, ErrPermanent) || !strings.Contains(err.Error(), "AUTH: 535") {
		t.Errorf("Send = %v, want a permanent AUTH 535", err)
	}
}

func TestSMTPReusesConnections(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{Conns: 3})
	for i := range 5 {
		if err := n.Send(context.Background(), emailTo(fmt.Sprint("seq-", i), "a@example.com")); err != nil {
			t.Fatal(err)
		}
	}
	if got := ms.connCount(); got != 1 {
		t.Errorf("%d connections for 5 messages in a row, want 1", got)
	}
	var wg sync.WaitGroup
	errs := make([]error, 30)
	for i := range errs {
		wg.Go(func() { errs[i] = n.Send(context.Background(), emailTo(fmt.Sprint("par-", i), "a@example.com")) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if got := len(ms.received()); got != 35 {
		t.Errorf("received %d messages, want 35", got)
	}
	if got := ms.connCount(); got > 3 {
		t.Errorf("%d connections, want at most Conns (3)", got)
	}
}

func TestSMTPReplacesAClosedIdleConnection(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{})
	if err := n.Send(context.Background(), emailTo("m1", "a@example.com")); err != nil {
		t.Fatal(err)
	}
	ms.dropConnections()
	if err := n.Send(context.Background(), emailTo("m2", "a@example.com")); err != nil {
		t.Fatalf("Send after the connection closed = %v, want it sent on a new one", err)
	}
	if got := len(ms.received()); got != 2 {
		t.Errorf("received %d messages, want 2", got)
	}
}

func TestSMTPServerDownIsTransient(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	n, err := NewSMTP("smtp://"+addr, testSender, SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = n.Send(context.Background(), emailTo("m1", "a@example.com"))
	if err == nil || errors.Is(err, ErrPermanent) {
		t.Errorf("Send = %v, want a transient error", err)
	}
}

func TestSMTPContext(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	tests := []struct {
		name    string
		ctx     func() (context.Context, context.CancelFunc)
		wantErr error
	}{
		{
			name: "deadline during DATA",
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 300*time.Millisecond)
			},
			wantErr: context.DeadlineExceeded,
		},
		{
			name: "cancelled during DATA",
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(300*time.Millisecond, cancel)
				return ctx, cancel
			},
			wantErr: context.Canceled,
		},
		{
			name: "cancelled before",
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			},
			wantErr: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{})
			ctx, cancel := tt.ctx()
			defer cancel()
			start := time.Now()
			err := n.Send(ctx, emailTo("m1", rcptStall))
			if !errors.Is(err, tt.wantErr) || errors.Is(err, ErrPermanent) {
				t.Errorf("Send = %v, want transient %v", err, tt.wantErr)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Send returned after %v", d)
			}
			if len(n.idle) != 0 {
				t.Error("a connection interrupted mid-message was kept for reuse")
			}
		})
	}
}

func TestNewSMTP(t *testing.T) {
	tests := []struct {
		url, from       string
		wantAddr        string
		wantImplicitTLS bool
		wantErr         bool
	}{
		{url: "smtp://mail.example.com", from: "a@example.com", wantAddr: "mail.example.com:587"},
		{url: "smtp://u:p@mail.example.com:25", from: "a@example.com", wantAddr: "mail.example.com:25"},
		{url: "smtps://mail.example.com", from: "a@example.com", wantAddr: "mail.example.com:465", wantImplicitTLS: true},
		{url: "smtp://[::1]:1025", from: "a@example.com", wantAddr: "[::1]:1025"},
		{url: "http://mail.example.com", from: "a@example.com", wantErr: true},
		{url: "smtp://", from: "a@example.com", wantErr: true},
		{url: "smtp://mail.example.com", from: "not an address", wantErr: true},
		{url: "smtp://user:s3cret word@mail.example.com", from: "a@example.com", wantErr: true},
		{url: "smtp://user:s3cret%zz@mail.example.com", from: "a@example.com", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.url+" "+tt.from, func(t *testing.T) {
			n, err := NewSMTP(tt.url, tt.from, SMTPOptions{})
			if tt.wantErr {
				if err == nil {
					t.Errorf("NewSMTP succeeded, want an error")
				} else if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("NewSMTP error %q repeats the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.addr != tt.wantAddr || n.implicitTLS != tt.wantImplicitTLS {
				t.Errorf("addr %s, implicit TLS %v; want %s, %v", n.addr, n.implicitTLS, tt.wantAddr, tt.wantImplicitTLS)
			}
		})
	}
}

func TestSMTPMessageWithoutID(t *testing.T) {
	ms := startMailServer(t, modeStartTLS)
	n := newTestSMTP(t, ms, ms.smtpURL("smtp", true), SMTPOptions{})
	err := n.Send(context.Background(), emailTo("", "a@example.com"))
	if !errors.Is(err, ErrPermanent) {
		t.Errorf("Send = %v, want ErrPermanent", err)
	}
	if got := ms.connCount(); got != 0 {
		t.Errorf("%d connections, want none for a message that cannot be sent", got)
	}
}

func TestWriteHeader(t *testing.T) {
	long := strings.Repeat("x", 90)
	tests := []struct{ value, want string }{
		{value: "short", want: "Subject: short\r\n"},
		{
			value: strings.Repeat("word ", 20) + "end",
			want: "Subject:" + strings.Repeat(" word", 13) + "\r\n" +
				strings.Repeat(" word", 7) + " end\r\n",
		},
		{value: long, want: "Subject:\r\n " + long + "\r\n"},
		{value: long + " " + long, want: "Subject:\r\n " + long + "\r\n " + long + "\r\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		writeHeader(&b, "Subject", tt.value)
		if diff := cmp.Diff(tt.want, b.String()); diff != "" {
			t.Errorf("writeHeader(%q) (-want +got):\n%s", tt.value, diff)
		}
	}
}

func TestMessageIDLeft(t *testing.T) {
	for id, want := range map[string]string{
		"0190f3a4-7b2c-7def-8123-456789abcdef": "0190f3a4-7b2c-7def-8123-456789abcdef",
		"job-7.msg-42":                         "job-7.msg-42",
		"a b":                                  "612062",
		"a..b":                                 "612e2e62",
		"<x>":                                  "3c783e",
	} {
		if got := messageIDLeft(id); got != want {
			t.Errorf("messageIDLeft(%q) = %q, want %q", id, got, want)
		}
	}
}
