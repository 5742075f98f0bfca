package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"time"
)

// smtpQuitTimeout bounds the QUIT of an idle connection at Close.
const smtpQuitTimeout = 5 * time.Second

// errStale marks a failure of a connection before the message was handed
// over: the server had closed it (or says it is closing it, 421). On a
// reused connection the message is sent again on a new one.
var errStale = errors.New("the connection was closed")

// smtpConn is one open SMTP session, ready for a mail transaction.
type smtpConn struct {
	// raw is the TCP connection under any TLS, whose deadlines bound
	// every exchange.
	raw     net.Conn
	c       *smtp.Client
	timeout time.Duration
	// used is when its last transaction ended, to retire it when it has
	// been idle too long.
	used time.Time
	// broken is set when a context ended during an exchange: the session
	// is then in an unknown state and is not reused.
	broken bool
}

// dial connects, greets, starts TLS and authenticates, all bounded by ctx
// and the timeout.
func (s *SMTP) dial(ctx context.Context) (*smtpConn, error) {
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp: connecting to %s: %w", s.addr, err)
	}
	c := &smtpConn{raw: raw, timeout: s.timeout}
	if err := c.bounded(ctx, func() error { return s.open(c) }); err != nil {
		raw.Close()
		return nil, err
	}
	return c, nil
}

// open runs the session's start on c.raw: the greeting and EHLO, TLS and
// AUTH. It uses net/smtp's client, which can start TLS on the connection
// it greeted when the server offers it; go-smtp's client only ever
// requires STARTTLS (it is used for the tests' server).
func (s *SMTP) open(c *smtpConn) error {
	var conn net.Conn = c.raw
	if s.implicitTLS {
		conn = tls.Client(c.raw, s.tls)
	}
	client, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("notify: smtp: greeting from %s: %w", s.addr, err)
	}
	c.c = client
	if ok, _ := client.Extension("STARTTLS"); ok && !s.implicitTLS {
		if err := client.StartTLS(s.tls); err != nil {
			return fmt.Errorf("notify: smtp: STARTTLS: %w", err)
		}
	}
	if s.auth == nil {
		return nil
	}
	if _, isTLS := client.TLSConnectionState(); !isTLS && !s.clearAuth {
		return permanent(fmt.Errorf("notify: smtp: %s offers no STARTTLS, and the password is sent only over TLS", s.host))
	}
	if err := client.Auth(s.auth); err != nil {
		return fmt.Errorf("notify: smtp: AUTH: %w", err)
	}
	return nil
}

// send runs one mail transaction: msg from from to to.
func (c *smtpConn) send(ctx context.Context, from, to string, msg []byte) error {
	return c.bounded(ctx, func() error {
		if err := c.c.Mail(from); err != nil {
			var reply *textproto.Error
			if !errors.As(err, &reply) || reply.Code == 421 {
				return fmt.Errorf("notify: smtp: MAIL FROM: %w (%w)", err, errStale)
			}
			return fmt.Errorf("notify: smtp: MAIL FROM: %w", err)
		}
		if err := c.c.Rcpt(to); err != nil {
			return fmt.Errorf("notify: smtp: RCPT TO: %w", err)
		}
		w, err := c.c.Data()
		if err != nil {
			return fmt.Errorf("notify: smtp: DATA: %w", err)
		}
		if _, err := w.Write(msg); err != nil {
			return fmt.Errorf("notify: smtp: DATA: %w", err)
		}
		if err := w.Close(); err != nil {
			return fmt.Errorf("notify: smtp: end of DATA: %w", err)
		}
		return nil
	})
}

// reset ends a refused transaction with RSET, reporting whether the
// session is ready for the next one.
func (c *smtpConn) reset(ctx context.Context) bool {
	err := c.bounded(ctx, c.c.Reset)
	return err == nil && !c.broken
}

// quit says goodbye and closes the connection.
func (c *smtpConn) quit() {
	if c.raw.SetDeadline(time.Now().Add(smtpQuitTimeout)) == nil {
		c.c.Quit()
	}
	c.close()
}

// close drops the connection.
func (c *smtpConn) close() { c.raw.Close() }

// bounded runs f, whose I/O on the connection stops at ctx's end or after
// the timeout, whichever comes first. When ctx ends during f the session
// is marked broken.
func (c *smtpConn) bounded(ctx context.Context, f func() error) error {
	if err := c.raw.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return fmt.Errorf("notify: smtp: %w (%w)", err, errStale)
	}
	// A deadline in the past makes pending reads and writes fail at once.
	// Set only once ctx has ended, so the failure is seen with ctx.Err().
	stop := context.AfterFunc(ctx, func() { c.raw.SetDeadline(time.Unix(1, 0)) })
	err := f()
	if !stop() {
		c.broken = true
	}
	return err
}

// isReply reports whether err is the server's reply (a 4xx or 5xx code),
// after which the session goes on, rather than a failure of the
// connection.
func isReply(err error) bool {
	var reply *textproto.Error
	return errors.As(err, &reply)
}

// classify turns a failed transaction into Send's error: a 5xx reply is
// ErrPermanent; a failure caused by the end of ctx carries ctx's error.
func classify(ctx context.Context, err error) error {
	var reply *textproto.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &reply):
		if reply.Code >= 500 {
			return permanent(err)
		}
		return err
	case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
		return fmt.Errorf("%w (%w)", err, ctx.Err())
	}
	return err
}
