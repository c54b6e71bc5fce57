// Package smtptest is a real SMTP server on the loopback interface, for
// tests of what Haven e-mails: it keeps every message it is sent.
package smtptest

import (
	"io"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is a running SMTP server.
type Server struct {
	addr   string
	ln     net.Listener
	server *smtp.Server
	mu     sync.Mutex
	msgs   []Message
	reject []string // recipients the server refuses
}

// Message is one e-mail the server received, its body decoded.
type Message struct {
	To      []string
	Subject string
	Body    string
}

// Start serves SMTP on addr ("127.0.0.1:0" for any free port) until the
// test ends.
func Start(t testing.TB, addr string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{addr: ln.Addr().String(), ln: ln}
	s.server = smtp.NewServer(backend{s})
	s.server.Domain = "localhost"
	s.server.ReadTimeout, s.server.WriteTimeout = 10*time.Second, 10*time.Second
	go s.server.Serve(ln)
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return s.addr }

// URL is the server's address as SMTP_URL takes it.
func (s *Server) URL() string { return "smtp://" + s.addr }

// Stop closes the server; the listener too, since Close alone misses one
// that Serve has not yet taken up.
func (s *Server) Stop() { s.server.Close(); s.ln.Close() }

// Reject makes the server refuse mail to these recipients.
func (s *Server) Reject(recipients ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = slices.Clone(recipients)
}

// Messages returns what the server has received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// WaitFor waits up to ten seconds for at least n messages and returns
// them, failing the test if they do not come.
func (s *Server) WaitFor(t testing.TB, n int) []Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("SMTP server received %d messages, want %d", len(msgs), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Recipients lists, sorted, every recipient of msgs.
func Recipients(msgs []Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To...)
	}
	slices.Sort(out)
	return out
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s  *Server
	to []string
}

func (s *session) Reset()                               { s.to = nil }
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.s.mu.Lock()
	refused := slices.Contains(s.s.reject, to)
	s.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox: " + to}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.s.mu.Lock()
	defer s.s.mu.Unlock()
	s.s.msgs = append(s.s.msgs, Message{To: slices.Clone(s.to), Subject: msg.Header.Get("Subject"), Body: string(b)})
	return nil
}
