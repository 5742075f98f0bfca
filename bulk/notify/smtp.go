package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// The defaults of SMTPOptions.
const (
	DefaultSMTPConns   = 4
	DefaultSMTPTimeout = time.Minute
	// smtpMaxIdle is how long an idle connection is kept for reuse: less
	// than the inactivity timeout of common servers, so a reused
	// connection is rarely one the server has already dropped.
	smtpMaxIdle = 30 * time.Second
)

// SMTPOptions configures an SMTP notifier; the zero value uses the
// defaults above.
type SMTPOptions struct {
	// TLSConfig is used for STARTTLS and smtps; when nil, certificates
	// are verified against the system roots. Its ServerName defaults to
	// the URL's host.
	TLSConfig *tls.Config
	// Conns is how many connections to the server are open at once; a
	// Send waits for a free one.
	Conns int
	// Timeout bounds each exchange with the server (connecting, sending
	// one message), whatever the context of the Send.
	Timeout time.Duration
}

// SMTP sends email through one SMTP server (a relay or a submission
// service). It keeps up to Conns connections open and reuses them, one
// message per transaction, so a bulk send does not connect per message.
// Each connection greets with EHLO, upgrades with STARTTLS when the server
// offers it (smtp://) or starts with TLS (smtps://), then authenticates
// with AUTH PLAIN when the URL has a user, which it does only over TLS or
// to localhost. A 5xx reply is ErrPermanent; a 4xx reply, a network
// failure or the end of the context is not. It is safe for concurrent
// use; Close closes the idle connections.
type SMTP struct {
	addr        string // host:port
	host        string // for the certificate and the localhost check
	implicitTLS bool
	auth        smtp.Auth // nil without a user
	// clearAuth allows the credentials on a connection without TLS: the
	// server is this machine.
	clearAuth bool
	from      *mail.Address
	domain    string // of from: the right side of Message-IDs
	tls       *tls.Config
	timeout   time.Duration
	// slots holds a token per connection in use; idle holds the open
	// connections nobody uses.
	slots chan struct{}
	idle  chan *smtpConn
}

// NewSMTP returns a notifier sending through the server of rawURL
// (SMTP_URL): smtp://user:pass@host:port, or smtps:// for TLS from the
// start; the port defaults to 587 (submission) or 465 (smtps), the user
// and password are optional. from is the sender, an address with an
// optional name ("ISP <noreply@isp.example>"). Its errors never repeat
// the password.
func NewSMTP(rawURL, from string, opts SMTPOptions) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's errors repeat the URL, password and all.
		return nil, errors.New("notify: SMTP URL is not a URL such as smtp://user:pass@host:587 (percent-encode reserved characters in the user and password)")
	}
	port := "587"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		port = "465"
	default:
		return nil, fmt.Errorf("notify: SMTP URL: scheme %q is not smtp or smtps", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return nil, errors.New("notify: SMTP URL: no host")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	sender, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify: SMTP sender %q: %w", from, err)
	}
	if opts.Conns <= 0 {
		opts.Conns = DefaultSMTPConns
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultSMTPTimeout
	}
	cfg := &tls.Config{}
	if opts.TLSConfig != nil {
		cfg = opts.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	s := &SMTP{
		addr:        net.JoinHostPort(host, port),
		host:        host,
		implicitTLS: u.Scheme == "smtps",
		clearAuth:   isLocalhost(host),
		from:        sender,
		domain:      sender.Address[strings.LastIndexByte(sender.Address, '@')+1:],
		tls:         cfg,
		timeout:     opts.Timeout,
		slots:       make(chan struct{}, opts.Conns),
		idle:        make(chan *smtpConn, opts.Conns),
	}
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		s.auth = smtp.PlainAuth("", user, pass, host)
	}
	return s, nil
}

// isLocalhost is net/smtp's test for a server on this machine, to which
// PlainAuth sends credentials without TLS.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// Send delivers m by email to m.To, on an idle connection or a new one.
// An idle connection that turns out to be closed before the message was
// handed over is replaced once by a new one.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("notify: smtp: %w", err)
	}
	rcpt, err := mail.ParseAddress(m.To)
	if err != nil {
		return permanent(fmt.Errorf("notify: smtp: the recipient is not an email address: %w", err))
	}
	msg, err := s.compose(m, rcpt)
	if err != nil {
		return err
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("notify: smtp: waiting for a connection: %w", ctx.Err())
	}
	defer func() { <-s.slots }()
	c := s.takeIdle()
	if c != nil {
		err := c.send(ctx, s.from.Address, rcpt.Address, msg)
		if !errors.Is(err, errStale) {
			s.release(ctx, c, err)
			return classify(ctx, err)
		}
		c.close()
	}
	c, err = s.dial(ctx)
	if err != nil {
		return classify(ctx, err)
	}
	err = c.send(ctx, s.from.Address, rcpt.Address, msg)
	s.release(ctx, c, err)
	return classify(ctx, err)
}

// takeIdle returns an idle connection fit for reuse, or nil.
func (s *SMTP) takeIdle() *smtpConn {
	for {
		select {
		case c := <-s.idle:
			if time.Since(c.used) < smtpMaxIdle {
				return c
			}
			c.close()
		default:
			return nil
		}
	}
}

// release keeps c for the next Send when its transaction ended cleanly
// (sent, or refused by a reply after which RSET makes the server ready
// again), and closes it otherwise.
func (s *SMTP) release(ctx context.Context, c *smtpConn, err error) {
	if c.broken || err != nil && (!isReply(err) || !c.reset(ctx)) {
		c.close()
		return
	}
	c.used = time.Now()
	select {
	case s.idle <- c:
	default:
		c.close()
	}
}

// Close says QUIT on the idle connections and closes them. Call it after
// the last Send.
func (s *SMTP) Close() {
	for {
		select {
		case c := <-s.idle:
			c.quit()
		default:
			return
		}
	}
}
