package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The test server's account, and recipients it answers specially.
const (
	testUser     = "crm"
	testPassword = "s3cret pass"
	// rcptRejected is refused for good (550), rcptBusy for now (451),
	// and a message to rcptStall hangs in DATA until the test ends.
	rcptRejected = "gone@example.com"
	rcptBusy     = "busy@example.com"
	rcptStall    = "stall@example.com"
)

// received is one message the test server accepted.
type received struct {
	From string
	To   []string
	TLS  bool   // the session was encrypted
	User string // who authenticated, "" for nobody
	Data string
}

// mailServer is a real SMTP server (go-smtp's) on 127.0.0.1, collecting
// what it is sent.
type mailServer struct {
	addr string
	// roots trusts the server's self-signed certificate.
	roots *x509.CertPool
	// stall is closed when the test ends, releasing stalled messages.
	stall chan struct{}

	mu    sync.Mutex
	mails []received
	conns []net.Conn // accepted
}

// serverMode is how a test server speaks.
type serverMode int

const (
	// modeStartTLS offers STARTTLS, and AUTH only once it is on.
	modeStartTLS serverMode = iota
	// modePlain offers no TLS, and AUTH without it.
	modePlain
	// modeImplicitTLS speaks TLS from the start (smtps).
	modeImplicitTLS
)

// startMailServer starts a server in mode, stopped when the test ends.
func startMailServer(t *testing.T, mode serverMode) *mailServer {
	t.Helper()
	cert, roots := selfSigned(t)
	ms := &mailServer{roots: roots, stall: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: ms, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case modeStartTLS:
		srv.TLSConfig = tlsConfig
	case modePlain:
		srv.AllowInsecureAuth = true
	case modeImplicitTLS:
		srv.TLSConfig = tlsConfig
		l = tls.NewListener(l, tlsConfig)
	}
	ms.addr = l.Addr().String()
	go srv.Serve(countingListener{l, ms})
	t.Cleanup(func() {
		close(ms.stall)
		srv.Close()
	})
	return ms
}

// received returns the messages accepted so far.
func (ms *mailServer) received() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.mails...)
}

// connCount is how many connections have been opened to it.
func (ms *mailServer) connCount() int {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return len(ms.conns)
}

// dropConnections closes the server's side of every connection, as a
// server does on its inactivity timeout.
func (ms *mailServer) dropConnections() {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	for _, c := range ms.conns {
		c.Close()
	}
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	srv *mailServer
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.srv.mu.Lock()
		l.srv.conns = append(l.srv.conns, c)
		l.srv.mu.Unlock()
	}
	return c, err
}

// session is one connection's state.
type session struct {
	srv  *mailServer
	conn *smtp.Conn
	user string
	msg  received
}

// AuthMechanisms offers AUTH PLAIN.
func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

// Auth checks the test account.
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != testUser || pass != testPassword {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	_, isTLS := s.conn.TLSConnectionState()
	s.msg = received{From: from, TLS: isTLS, User: s.user}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch to {
	case rcptRejected:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	case rcptBusy:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.msg.To[0] == rcptStall {
		<-s.srv.stall
		return errors.New("stalled")
	}
	s.msg.Data = string(b)
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, s.msg)
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset() { s.msg = received{} }

func (s *session) Logout() error { return nil }

// selfSigned makes a certificate for localhost and 127.0.0.1, and a pool
// that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// smtpURL is the URL of ms with the test account when auth is set.
func (ms *mailServer) smtpURL(scheme string, auth bool) string {
	u := scheme + "://"
	if auth {
		u += testUser + ":" + strings.ReplaceAll(testPassword, " ", "%20") + "@"
	}
	return u + ms.addr
}
