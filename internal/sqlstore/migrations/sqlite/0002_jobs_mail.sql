-- Background jobs and the mail outbox. postgres/0002_jobs_mail.sql is its twin.

-- One row per registered job. An instance runs a job only after it took
-- the lease with a conditional UPDATE (due, and no live lease), so several
-- instances on one database run each due job once. failures counts the
-- failed runs since the last success; it sets the retry backoff.
CREATE TABLE jobs (
	name            TEXT PRIMARY KEY,
	next_run_at     TEXT NOT NULL,
	lease_owner     TEXT NOT NULL DEFAULT '',
	lease_until     TEXT,
	failures        INTEGER NOT NULL DEFAULT 0,
	last_started_at TEXT,
	last_ended_at   TEXT,
	last_status     TEXT NOT NULL DEFAULT '',
	last_error      TEXT NOT NULL DEFAULT '',
	updated_at      TEXT NOT NULL
);

-- The history of job runs, pruned by age.
CREATE TABLE job_runs (
	id         TEXT PRIMARY KEY,
	job        TEXT NOT NULL,
	instance   TEXT NOT NULL,
	attempt    INTEGER NOT NULL,
	started_at TEXT NOT NULL,
	ended_at   TEXT,
	status     TEXT NOT NULL,
	error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_job_idx ON job_runs (job, started_at);
CREATE INDEX job_runs_started_at_idx ON job_runs (started_at, id);

-- Mail waits here until the SMTP server takes it. dedupe_key (NULL for
-- none) is unique, so a message two instances queue at once is kept once.
-- A pending message is due at next_attempt_at; claiming it for delivery
-- moves next_attempt_at past the send, so no other instance takes it.
CREATE TABLE mail_outbox (
	id              TEXT PRIMARY KEY,
	dedupe_key      TEXT,
	to_address      TEXT NOT NULL,
	to_name         TEXT NOT NULL DEFAULT '',
	user_id         TEXT NOT NULL DEFAULT '',
	language        TEXT NOT NULL DEFAULT '',
	subject         TEXT NOT NULL,
	text_body       TEXT NOT NULL,
	html_body       TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	sent_at         TEXT
);
CREATE UNIQUE INDEX mail_outbox_dedupe_key_key ON mail_outbox (dedupe_key);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_created_at_idx ON mail_outbox (created_at, id);
