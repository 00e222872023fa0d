// Package mail sends Liaison's email. Nothing is sent directly: a message
// is written to the outbox table first (Outbox.Enqueue, composed in the
// recipient's language), and a background job (Deliverer, registered with
// internal/jobs) hands pending messages to the SMTP server, retrying with
// backoff while the server is away. So a message is never lost to an SMTP
// outage, and a dedupe key keeps a message queued by two instances at
// once from going out twice.
//
// SMTP goes through github.com/wneessen/go-mail.
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/i18n"
	"github.com/liaisonhq/liaison/internal/jobs"
)

// TLS modes of the SMTP connection.
const (
	TLSNone     = "none"     // plain SMTP (a relay on the same host or network)
	TLSStartTLS = "starttls" // upgrade with STARTTLS, refuse to send without it
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, port 465)
)

// Config is the SMTP server mail goes to.
type Config struct {
	Addr     string // host:port
	From     string // the sender address, optionally with a name: "Liaison <liaison@example.com>"
	User     string // SMTP AUTH user; "" for none
	Password string
	TLS      string // TLSNone, TLSStartTLS or TLSImplicit; TLSStartTLS when ""
	Timeout  time.Duration
	// TLSConfig overrides the TLS settings (tests with their own CA).
	TLSConfig *tls.Config
}

// Enabled reports whether an SMTP server is configured.
func (c Config) Enabled() bool { return c.Addr != "" }

// Validate checks the configuration.
func (c Config) Validate() error {
	var errs []error
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		errs = append(errs, fmt.Errorf("--smtp-addr: want HOST:PORT, got %q", c.Addr))
	} else if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
		errs = append(errs, fmt.Errorf("--smtp-addr: bad port %q", port))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("--smtp-from: want an email address, got %q", c.From))
	}
	switch c.TLS {
	case "", TLSNone, TLSStartTLS, TLSImplicit:
	default:
		errs = append(errs, fmt.Errorf("--smtp-tls: want none, starttls or tls, got %q", c.TLS))
	}
	if c.User != "" && c.Password == "" {
		errs = append(errs, errors.New("--smtp-user needs a password (LIAISON_SMTP_PASSWORD)"))
	}
	return errors.Join(errs...)
}

// Sender hands messages to a mail server.
type Sender interface {
	// Send delivers msgs, over one connection where it can; errs[i] is
	// the outcome of msgs[i].
	Send(ctx context.Context, msgs []*liaison.MailMessage) []error
}

// SMTP is a Sender to an SMTP server.
type SMTP struct {
	cfg    Config
	client *gomail.Client
	from   *mail.Address
}

// NewSMTP returns a Sender for cfg.
func NewSMTP(cfg Config) (*SMTP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	from, _ := mail.ParseAddress(cfg.From)
	host, portS, _ := net.SplitHostPort(cfg.Addr)
	port, _ := strconv.Atoi(portS)
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(timeout), gomail.WithHELO("localhost")}
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	tc := cfg.TLSConfig
	if tc == nil {
		tc = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tc))
	if cfg.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.User), gomail.WithPassword(cfg.Password))
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return &SMTP{cfg: cfg, client: c, from: from}, nil
}

// Send delivers msgs over one SMTP connection. When the connection cannot
// be made, every message gets that error.
func (s *SMTP) Send(ctx context.Context, msgs []*liaison.MailMessage) []error {
	errs := make([]error, len(msgs))
	if len(msgs) == 0 {
		return errs
	}
	built := make([]*gomail.Msg, len(msgs))
	for i, m := range msgs {
		built[i], errs[i] = s.build(m)
	}
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("smtp: connect to %s: %w", s.cfg.Addr, err)
			}
		}
		return errs
	}
	defer s.client.CloseWithSMTPClient(conn)
	for i, gm := range built {
		if errs[i] != nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		if err := s.client.SendWithSMTPClient(conn, gm); err != nil {
			errs[i] = fmt.Errorf("smtp: %w", err)
		}
	}
	return errs
}

func (s *SMTP) build(m *liaison.MailMessage) (*gomail.Msg, error) {
	gm := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithNoDefaultUserAgent())
	if err := gm.FromFormat(s.from.Name, s.from.Address); err != nil {
		return nil, permanent(fmt.Errorf("from: %w", err))
	}
	if err := gm.AddToFormat(m.ToName, m.To); err != nil {
		return nil, permanent(fmt.Errorf("to %q: %w", m.To, err))
	}
	gm.Subject(m.Subject)
	gm.SetDate()
	gm.SetMessageIDWithValue(m.ID + "@liaison")
	if m.Language != "" {
		gm.SetGenHeader(gomail.HeaderContentLang, string(m.Language))
	}
	gm.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := gm.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, permanent(fmt.Errorf("attachment %s: %w", a.Name, err))
		}
	}
	return gm, nil
}

// permanentError marks a failure that retrying cannot cure.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

// Permanent reports whether a delivery error is final: the server refused
// the message with a 5xx reply, or the message itself is malformed.
// Connection failures and 4xx replies are worth retrying.
func Permanent(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := errors.AsType[permanentError](err); ok {
		return true
	}
	if se, ok := errors.AsType[*gomail.SendError](err); ok {
		return se.ErrorCode() >= 500 && !se.IsTemp()
	}
	return false
}

// Content is a message in one language.
type Content struct {
	Subject string
	Text    string
	HTML    string // optional; a plain-text rendering goes out beside it
	// Attachments go out with the message, in order (an invite.ics).
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment = liaison.MailAttachment

// Outbox queues messages.
type Outbox struct {
	Store liaison.MailStore
}

// Enqueue queues m. It returns false when m.DedupeKey was queued before.
func (o *Outbox) Enqueue(ctx context.Context, m *liaison.MailMessage) (bool, error) {
	return o.Store.EnqueueMail(ctx, m)
}

// EnqueueFor queues a message to a user, composed with the translator of
// the user's language, with dedupe key key ("" for none). It returns false
// when the key was queued before.
func (o *Outbox) EnqueueFor(ctx context.Context, u *liaison.User, key string, compose func(l *i18n.Localizer) Content) (bool, error) {
	l := i18n.For(u.Language)
	c := compose(l)
	text := c.Text + "\n\n-- \n" + l.T("mail.footer") + "\n"
	body := c.HTML
	if body != "" {
		body += `<hr><p style="color:#666;font-size:small">` + html.EscapeString(l.T("mail.footer")) + `</p>`
	}
	return o.Store.EnqueueMail(ctx, &liaison.MailMessage{DedupeKey: key, To: u.Email, ToName: u.Name, UserID: u.ID,
		Language: l.Lang(), Subject: c.Subject, Text: text, HTML: body, Attachments: c.Attachments})
}

// EnqueueForPerson queues a message to a business contact (a customer
// who complained, say), composed in the person's language. It returns the
// queued message, nil when key was queued before.
func (o *Outbox) EnqueueForPerson(ctx context.Context, p *liaison.Person, key string, compose func(l *i18n.Localizer) Content) (*liaison.MailMessage, error) {
	l := i18n.For(p.Language)
	c := compose(l)
	text := c.Text + "\n\n-- \n" + l.T("mail.footer") + "\n"
	body := c.HTML
	if body != "" {
		body += `<hr><p style="color:#666;font-size:small">` + html.EscapeString(l.T("mail.footer")) + `</p>`
	}
	m := &liaison.MailMessage{DedupeKey: key, To: p.Email, ToName: p.Name, Language: l.Lang(), Subject: c.Subject, Text: text, HTML: body,
		Attachments: c.Attachments}
	ok, err := o.Store.EnqueueMail(ctx, m)
	if err != nil || !ok {
		return nil, err
	}
	return m, nil
}

// Deliverer sends pending outbox messages; its Job runs it in the background.
type Deliverer struct {
	Store  liaison.MailStore
	Sender Sender
	Log    *slog.Logger
	// Now is the clock; UTC time.Now when nil.
	Now func() time.Time
	// Batch is how many messages one connection takes (50 when 0).
	Batch int
	// RetryMin and RetryMax bound a message's backoff (1 minute and 6 hours when 0).
	RetryMin, RetryMax time.Duration
	// MaxAttempts is how many failed tries make a message failed for good (40 when 0).
	MaxAttempts int
	// Every is how often the job looks for due mail (DeliverEvery when 0).
	Every time.Duration
}

// Defaults of the delivery job.
const (
	DeliverEvery = 15 * time.Second
	// claimLease is how long a claimed message stays away from other runs:
	// longer than a delivery run may take (the job's timeout).
	claimLease     = 10 * time.Minute
	deliverTimeout = 5 * time.Minute
)

// Job returns the background job that delivers the outbox.
func (d *Deliverer) Job() jobs.Job {
	every := d.Every
	if every <= 0 {
		every = DeliverEvery
	}
	return jobs.Job{Name: "mail.deliver", Every: every, Timeout: deliverTimeout,
		RetryMin: 15 * time.Second, RetryMax: 5 * time.Minute, Run: d.Run}
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC()
	}
	return time.Now().UTC()
}

// Run delivers every message that is due, batch by batch. It returns an
// error when a message failed for a reason worth retrying (the server is
// away or busy), so that the job's run shows it and the job backs off;
// the message waits for its own retry. A message the server refuses for
// good (5xx) is marked failed and shown in the outbox, and the run goes on.
func (d *Deliverer) Run(ctx context.Context) error {
	batch := orDefault(d.Batch, 50)
	maxAttempts := orDefault(d.MaxAttempts, 40)
	retryMin, retryMax := d.RetryMin, d.RetryMax
	if retryMin <= 0 {
		retryMin = time.Minute
	}
	if retryMax <= 0 {
		retryMax = 6 * time.Hour
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	var failed []error
	for ctx.Err() == nil {
		now := d.now()
		msgs, err := d.Store.ClaimMail(ctx, now, now.Add(claimLease), batch)
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			break
		}
		errs := d.Sender.Send(ctx, msgs)
		for i, m := range msgs {
			// Record the outcome even when ctx ended mid-batch.
			rctx := context.WithoutCancel(ctx)
			if errs[i] == nil {
				if err := d.Store.MarkMailSent(rctx, m.ID, d.now()); err != nil {
					return err
				}
				log.Info("mail sent", "id", m.ID, "to", m.To)
				continue
			}
			attempt := m.Attempts + 1
			giveUp := Permanent(errs[i]) || attempt >= maxAttempts
			next := d.now().Add(jobs.Backoff(attempt, retryMin, retryMax))
			if err := d.Store.MarkMailFailed(rctx, m.ID, errs[i].Error(), next, giveUp); err != nil {
				return err
			}
			log.Warn("mail not sent", "id", m.ID, "to", m.To, "attempt", attempt, "gave_up", giveUp, "err", errs[i])
			if !Permanent(errs[i]) {
				// Trouble with the server, not with this message: the run
				// fails, so it shows, and the job backs off.
				failed = append(failed, fmt.Errorf("%s: %w", m.To, errs[i]))
			}
		}
		if len(msgs) < batch || len(failed) > 0 {
			break // a failing server gets no second batch in this run
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of the messages not sent; first: %w", len(failed), failed[0])
	}
	return ctx.Err()
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// TextToHTML renders plain text as a simple HTML body: escaped, with
// paragraphs at blank lines and line breaks kept.
func TextToHTML(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>\n")
	}
	return b.String()
}
