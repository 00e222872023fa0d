package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	liaison "github.com/liaisonhq/liaison"
	"github.com/liaisonhq/liaison/internal/api"
	"github.com/liaisonhq/liaison/internal/app"
	"github.com/liaisonhq/liaison/internal/demo"
	"github.com/liaisonhq/liaison/internal/jobs"
	"github.com/liaisonhq/liaison/internal/mail"
	"github.com/liaisonhq/liaison/internal/notify"
	"github.com/liaisonhq/liaison/internal/reminders"
	"github.com/liaisonhq/liaison/internal/server"
	"github.com/liaisonhq/liaison/internal/sqlstore"
	"github.com/liaisonhq/liaison/internal/web"
)

// Config is what Start needs.
type Config struct {
	DB           string // SQLite path or postgres:// URL
	Addr         string // HOST:PORT; port 0 picks a free one
	Demo         bool   // load the demo organisation into an empty database
	MetricsToken string
	Log          *slog.Logger
	Out          io.Writer // where the start-up banner goes; nil for none

	// Jobs starts the background job scheduler (serve's --jobs, on by
	// default there; off in the zero Config, so tests opt in).
	Jobs bool
	// InstanceID names this instance among those sharing the database;
	// jobs.InstanceID() when "".
	InstanceID string
	// JobsPoll is how often the scheduler looks for due jobs; jobs.DefaultPoll when 0.
	JobsPoll time.Duration
	// SMTP is where mail goes; without an address mail waits in the outbox.
	SMTP mail.Config
	// MailEvery is how often the outbox is looked at; mail.DeliverEvery when 0.
	MailEvery time.Duration
	// ReminderEvery is how often agreement and service-review reminders are looked for; hourly when 0.
	ReminderEvery time.Duration
	// DigestEvery is how often notification digests are looked for; every 5 minutes when 0.
	DigestEvery time.Duration
}

// Running is a started server.
type Running struct {
	URL    string
	App    *app.App
	Store  *sqlstore.DB
	Server *server.Server
	// Jobs is the scheduler, nil when jobs are off.
	Jobs *jobs.Scheduler
	// Mail queues email (delivered by the scheduler's mail job).
	Mail   *mail.Outbox
	done   chan error
	cancel context.CancelFunc
}

// Wait blocks until the server has stopped and returns why.
func (r *Running) Wait() error { return <-r.done }

// Stop shuts the server down gracefully and closes the database.
func (r *Running) Stop() error {
	r.cancel()
	return r.Wait()
}

// Start opens and migrates the database, loads the demo when asked, and
// serves on cfg.Addr until ctx ends or Stop is called.
func Start(ctx context.Context, cfg Config) (*Running, error) {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	var sender mail.Sender
	if cfg.SMTP.Enabled() {
		smtp, err := mail.NewSMTP(cfg.SMTP)
		if err != nil {
			return nil, err
		}
		sender = smtp
	}
	db, err := openStore(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	a := app.New(db, log)
	var demoRes *demo.Result
	if cfg.Demo {
		switch res, err := demo.Load(ctx, a); {
		case err == nil:
			demoRes = res
		case liaison.ErrorCode(err) == liaison.ECONFLICT:
			log.Info("demo data not loaded: the database is not empty")
		default:
			db.Close()
			return nil, fmt.Errorf("load demo data: %w", err)
		}
	}
	srv := server.New(a, server.Options{MetricsToken: cfg.MetricsToken, Log: log},
		api.New(a, api.Options{}),
		web.New(a, web.Options{Log: log}),
	)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Running{URL: "http://" + ln.Addr().String(), App: a, Store: db, Server: srv, Mail: &mail.Outbox{Store: db},
		done: make(chan error, 1), cancel: cancel}
	a.BaseURL = r.URL // survey links
	if cfg.Jobs {
		r.Jobs = startJobs(ctx, cfg, db, sender, r.URL, log, a.SurveyReminderJob(cfg.ReminderEvery))
	}
	go func() {
		err := srv.Serve(ctx, ln)
		if r.Jobs != nil {
			r.Jobs.Wait() // a running job finishes recording before the database closes
		}
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		r.done <- err
	}()
	log.Info("liaison serving", "url", r.URL, "db", db.Engine())
	if cfg.Out != nil {
		fmt.Fprintf(cfg.Out, "Liaison is running at %s\n", r.URL)
		if demoRes != nil {
			printSignIns(cfg.Out, r.URL, demoRes)
		}
	}
	return r, nil
}

// startJobs registers Liaison's background jobs and starts the scheduler.
func startJobs(ctx context.Context, cfg Config, db *sqlstore.DB, sender mail.Sender, baseURL string, log *slog.Logger, more ...jobs.Job) *jobs.Scheduler {
	id := cfg.InstanceID
	if id == "" {
		id = jobs.InstanceID()
	}
	s := jobs.New(db, id, log)
	s.Poll = cfg.JobsPoll
	s.Register(jobs.PruneJob(db, s.Now, 30*24*time.Hour))
	s.Register((&reminders.Reminders{Store: db, Outbox: &mail.Outbox{Store: db}, Log: log, BaseURL: baseURL, Every: cfg.ReminderEvery}).Job())
	s.Register((&reminders.ReviewReminders{Store: db, Outbox: &mail.Outbox{Store: db}, Log: log, BaseURL: baseURL, Every: cfg.ReminderEvery}).Job())
	s.Register(cycleJob(db, s.Now, log))
	s.Register((&notify.Digest{Store: db, Outbox: &mail.Outbox{Store: db}, Log: log, BaseURL: baseURL, Every: cfg.DigestEvery}).Job())
	for _, j := range more {
		s.Register(j)
	}
	if sender != nil {
		s.Register((&mail.Deliverer{Store: db, Sender: sender, Log: log, Every: cfg.MailEvery}).Job())
	} else {
		log.Info("no SMTP server configured (--smtp-addr): email waits in the outbox until one is")
	}
	s.Start(ctx)
	return s
}

func printSignIns(w io.Writer, url string, res *demo.Result) {
	fmt.Fprintln(w, "Demo organisation loaded. Sign in with:")
	for _, s := range res.SignIns {
		fmt.Fprintf(w, "  %-34s password %-18s (%s)\n", s.Email, s.Password, s.Role)
	}
	if url != "" {
		fmt.Fprintf(w, "Open %s/login\n", url)
	}
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dsn := newFlags("serve")
	addr := fs.String("addr", env("LIAISON_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT (env LIAISON_ADDR)")
	withDemo := fs.Bool("demo", false, "fill an empty database with the demo organisation")
	metricsToken := fs.String("metrics-token", env("LIAISON_METRICS_TOKEN", ""), "require this bearer token on /metrics (env LIAISON_METRICS_TOKEN)")
	level := fs.String("log-level", env("LIAISON_LOG_LEVEL", "info"), "debug, info, warn or error (env LIAISON_LOG_LEVEL)")
	format := fs.String("log-format", env("LIAISON_LOG_FORMAT", "text"), "text or json (env LIAISON_LOG_FORMAT)")
	runJobs := fs.Bool("jobs", envBool("LIAISON_JOBS", true), "run background jobs: mail delivery, reminders (env LIAISON_JOBS)")
	instance := fs.String("instance-id", env("LIAISON_INSTANCE_ID", ""), "name of this instance among those sharing the database; host-pid-random when empty (env LIAISON_INSTANCE_ID)")
	smtpAddr := fs.String("smtp-addr", env("LIAISON_SMTP_ADDR", ""), "SMTP server HOST:PORT; without it email waits in the outbox (env LIAISON_SMTP_ADDR)")
	smtpFrom := fs.String("smtp-from", env("LIAISON_SMTP_FROM", "Liaison <liaison@localhost>"), "sender address of Liaison's email (env LIAISON_SMTP_FROM)")
	smtpUser := fs.String("smtp-user", env("LIAISON_SMTP_USER", ""), "SMTP AUTH user; the password comes from LIAISON_SMTP_PASSWORD (env LIAISON_SMTP_USER)")
	smtpTLS := fs.String("smtp-tls", env("LIAISON_SMTP_TLS", mail.TLSStartTLS), "none, starttls or tls (env LIAISON_SMTP_TLS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	smtpCfg := mail.Config{Addr: *smtpAddr, From: *smtpFrom, User: *smtpUser, Password: os.Getenv("LIAISON_SMTP_PASSWORD"), TLS: *smtpTLS}
	if smtpCfg.Enabled() {
		if err := smtpCfg.Validate(); err != nil {
			return err
		}
	}
	log, err := newLogger(stderr, *level, *format)
	if err != nil {
		return err
	}
	r, err := Start(ctx, Config{DB: *dsn, Addr: *addr, Demo: *withDemo, MetricsToken: *metricsToken, Log: log, Out: stdout,
		Jobs: *runJobs, InstanceID: *instance, SMTP: smtpCfg})
	if err != nil {
		return err
	}
	if err := r.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	log.Info("liaison stopped")
	return nil
}

// envBool reads a boolean environment variable; def when unset or unreadable.
func envBool(key string, def bool) bool {
	if b, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return b
	}
	return def
}

func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want text or json, got %q", format)
}
