// Package mail sends Haven's e-mail: over SMTP when SMTP_URL is set, and
// otherwise to the log only, so a development server never needs a relay.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultFrom is the sender when HAVEN_MAIL_FROM is unset.
const DefaultFrom = "Haven <haven@localhost>"

// Message is one plain-text e-mail to one recipient.
type Message struct {
	To      string
	Subject string
	Body    string
	// Ref names what the message is about, e.g. "concern:42", for the
	// debug log only: beside a recipient it says who was told about which
	// concern, which the server's ordinary log must never say.
	Ref string
	// SchoolID is the school the message is sent for, which keeps it in
	// the outbox when SMTP_URL is unset.
	SchoolID int64
}

// Outbox keeps the messages not sent because SMTP_URL is unset, for the
// school's administrator to read (internal/postgres.DB.KeepInOutbox).
type Outbox interface {
	KeepInOutbox(ctx context.Context, m Message) error
}

// Sender sends one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// NewSender returns an SMTP sender for smtpURL, or, when smtpURL is empty,
// the log-only sender that keeps each message in outbox (when not nil).
func NewSender(smtpURL, from string, logger *slog.Logger, outbox Outbox) (Sender, error) {
	if smtpURL == "" {
		return LogSender{Logger: logger, Outbox: outbox}, nil
	}
	return NewSMTP(smtpURL, from)
}

// LogSender sends nothing and writes one log line per message: at the info
// level only that an e-mail was not sent, and at the debug level its
// recipient and what it is about. Subject and body are never logged; they
// go to the outbox, when there is one, where only the school's
// administrator reads them.
type LogSender struct {
	Logger *slog.Logger
	Outbox Outbox
}

// Send keeps m in the outbox and logs it without its content. A message
// the outbox cannot keep fails, so that the job is retried.
func (s LogSender) Send(ctx context.Context, m Message) error {
	if s.Outbox != nil {
		if err := s.Outbox.KeepInOutbox(ctx, m); err != nil {
			return fmt.Errorf("keep e-mail in the outbox: %w", err)
		}
	}
	if s.Logger.Enabled(ctx, slog.LevelDebug) {
		s.Logger.DebugContext(ctx, "e-mail not sent: SMTP_URL is unset", "to", m.To, "about", m.Ref)
		return nil
	}
	s.Logger.InfoContext(ctx, "e-mail not sent: SMTP_URL is unset")
	return nil
}

// SMTP sends through an SMTP server.
type SMTP struct {
	host string
	from string
	opts []gomail.Option
}

// NewSMTP configures a sender from a URL: smtp://user:pass@host:587 uses
// STARTTLS (required when there are credentials, so they never cross the
// network in the clear; opportunistic otherwise), smtps://user:pass@host:465
// uses TLS from the first byte. from is the From address.
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP_URL %q names no host", u.Redacted())
	}
	s := &SMTP{from: from, host: u.Hostname(), opts: []gomail.Option{gomail.WithTimeout(30 * time.Second)}}
	port := 587
	switch u.Scheme {
	case "smtp":
		policy := gomail.TLSOpportunistic
		if u.User != nil {
			policy = gomail.TLSMandatory
		}
		s.opts = append(s.opts, gomail.WithTLSPolicy(policy))
	case "smtps":
		port = 465
		s.opts = append(s.opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("SMTP_URL %q: the scheme must be smtp or smtps", u.Redacted())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL %q: port: %w", u.Redacted(), err)
		}
	}
	s.opts = append(s.opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		s.opts = append(s.opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	m := gomail.NewMsg()
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("HAVEN_MAIL_FROM %q: %w", from, err)
	}
	return s, nil
}

// Send delivers m, one connection per message.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return sendError{err: err, to: m.To}
	}
	return nil
}

// sendError is a failed send. River logs a job's errors at the info level,
// so its message names neither what the e-mail was about nor its
// recipient, which the SMTP server's reply may quote: beside the kind of
// job, who was being told is itself telling (the chair alone, about a
// concern).
type sendError struct {
	err error
	to  string
}

func (e sendError) Error() string {
	msg := e.err.Error()
	if e.to != "" {
		msg = strings.ReplaceAll(msg, e.to, "<recipient>")
	}
	return "send e-mail: " + msg
}

func (e sendError) Unwrap() error { return e.err }
