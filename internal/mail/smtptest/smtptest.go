// Package smtptest runs a real SMTP server in the test process
// (github.com/emersion/go-smtp on a loopback port) that keeps what it
// receives, so that mail tests go through a real SMTP conversation.
//
//	srv := smtptest.Start(t)
//	… deliver to srv.Addr …
//	msgs := srv.WaitFor(1, 5*time.Second)
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one received message.
type Message struct {
	From string
	To   []string
	Data []byte // as received, headers and body
}

// Server is a running in-process SMTP server.
type Server struct {
	Addr string // host:port on 127.0.0.1

	t   testing.TB
	srv *smtp.Server

	mu   sync.Mutex
	cond *sync.Cond
	msgs []Message
	// RejectRcpt, when set, answers RCPT TO for an address with the error it returns.
	rejectRcpt func(to string) error
	user, pass string
}

// Start starts a server on a free loopback port; it stops when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	return StartAt(t, "127.0.0.1:0")
}

// StartAt starts a server on addr (a loopback host:port), for tests where
// the client was configured before the server came up.
func StartAt(t testing.TB, addr string) *Server {
	t.Helper()
	return start(t, addr, nil, false)
}

// StartTLS starts a server with a fresh self-signed certificate for
// 127.0.0.1: it offers STARTTLS, or, when implicit, speaks TLS from the
// first byte. It returns the TLS configuration a client needs to trust it.
func StartTLS(t testing.TB, implicit bool) (*Server, *tls.Config) {
	t.Helper()
	cert, pool := selfSigned(t)
	s := start(t, "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, implicit)
	return s, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

func start(t testing.TB, addr string, tc *tls.Config, implicit bool) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("smtptest: listen %s: %v", addr, err)
	}
	if tc != nil && implicit {
		ln = tls.NewListener(ln, tc)
	}
	s := &Server{Addr: ln.Addr().String(), t: t}
	s.cond = sync.NewCond(&s.mu)
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.AllowInsecureAuth = true
	if tc != nil && !implicit {
		s.srv.TLSConfig = tc
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.srv.Serve(ln)
	}()
	t.Cleanup(func() {
		s.srv.Close()
		<-done
	})
	return s
}

// FreeAddr returns a loopback address nothing listens on (yet): where a
// server can be started later with StartAt.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// RequireAuth makes the server demand AUTH PLAIN with user and password.
func (s *Server) RequireAuth(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, password
}

// RejectRcpt makes the server refuse recipients for which fn returns an
// error (e.g. &smtp.SMTPError{Code: 550, …}).
func (s *Server) RejectRcpt(fn func(to string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectRcpt = fn
}

// Messages returns what the server has received so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// WaitFor waits until the server has received at least n messages and
// returns them all; the test fails when timeout passes first.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.msgs) < n {
		if !time.Now().Before(deadline) {
			s.t.Fatalf("smtptest: %d messages received within %v, want %d", len(s.msgs), timeout, n)
		}
		s.cond.Wait()
	}
	return append([]Message(nil), s.msgs...)
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ss.s.mu.Lock()
		user, pass := ss.s.user, ss.s.pass
		ss.s.mu.Unlock()
		if username != user || password != pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) needAuth() error {
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	if ss.s.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if err := ss.needAuth(); err != nil {
		return err
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	reject := ss.s.rejectRcpt
	ss.s.mu.Unlock()
	if reject != nil {
		if err := reject(to); err != nil {
			return err
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, Message{From: ss.from, To: ss.to, Data: b})
	ss.s.cond.Broadcast()
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// Header returns the message's decoded header field (RFC 2047 words decoded).
func (m Message) Header(name string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	v := msg.Header.Get(name)
	if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// Subject returns the decoded subject.
func (m Message) Subject() string { return m.Header("Subject") }

// Text returns the decoded text/plain body (the plain part of a multipart message).
func (m Message) Text() string {
	s, _ := m.part("text/plain")
	return s
}

// HTML returns the decoded text/html part, "" when there is none.
func (m Message) HTML() string {
	s, _ := m.part("text/html")
	return s
}

func (m Message) part(want string) (string, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return "", err
	}
	return findPart(msg.Header, msg.Body, want)
}

// header is a mail.Header or a part's textproto.MIMEHeader.
type header interface{ Get(string) string }

func findPart(h header, body io.Reader, want string) (string, error) {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", errors.New("smtptest: part " + want + " not found")
			}
			if s, err := findPart(p.Header, p, want); err == nil {
				return s, nil
			}
		}
	}
	if mt != want {
		return "", errors.New("smtptest: part " + want + " not found")
	}
	var r io.Reader = body
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64Reader(body)
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

func base64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, newlineStripper{r})
}

// newlineStripper drops the line breaks of a base64 body.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		c, err := n.r.Read(p)
		j := 0
		for _, b := range p[:c] {
			if b != '\r' && b != '\n' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Part returns the decoded body of the message's first part of media type
// mediaType (an attachment's, say), or an error when there is none.
func (m Message) Part(mediaType string) (string, error) { return m.part(mediaType) }
