-- The annual cycle (SPEC C13, seeds 003/004 "vuosikello"), private
-- calendar feeds and mail attachments (SPEC C7: .ics invitations).
-- sqlite/0011_cycle.sql is its twin.

-- A recurring activity of the annual cycle. recurrence is yearly (month,
-- day), quarterly (month = the month within each quarter, 1-3, and day)
-- or date (on_date, once). scope is all accounts, a segment's accounts
-- or the listed accounts (cycle_activity_accounts). owner_id NULL means
-- each account's relationship manager owns its tasks.
CREATE TABLE cycle_activities (
	id          TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL,
	recurrence  TEXT NOT NULL,
	month       INTEGER NOT NULL DEFAULT 0,
	day         INTEGER NOT NULL DEFAULT 1,
	on_date     TEXT,
	scope       TEXT NOT NULL,
	segment_id  TEXT REFERENCES segments (id),
	owner_id    TEXT REFERENCES users (id),
	search_text TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL,
	deleted_at  TIMESTAMPTZ
);
CREATE INDEX cycle_activities_title_idx ON cycle_activities (title, id);
CREATE INDEX cycle_activities_created_at_idx ON cycle_activities (created_at, id);
CREATE INDEX cycle_activities_updated_at_idx ON cycle_activities (updated_at, id);
CREATE INDEX cycle_activities_segment_idx ON cycle_activities (segment_id);
CREATE INDEX cycle_activities_owner_idx ON cycle_activities (owner_id);

CREATE TABLE cycle_activity_accounts (
	activity_id     TEXT NOT NULL REFERENCES cycle_activities (id) ON DELETE CASCADE,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	position        INTEGER NOT NULL,
	PRIMARY KEY (activity_id, organisation_id)
);
CREATE INDEX cycle_activity_accounts_organisation_idx ON cycle_activity_accounts (organisation_id);

-- Generation inserts a task per activity, account and date at most once:
-- regenerating (the daily job, an edit) never duplicates.
CREATE UNIQUE INDEX actions_cycle_task_idx ON actions (cycle_activity_id, organisation_id, due_date)
	WHERE cycle_activity_id IS NOT NULL;

-- A user's private iCalendar feed: the secret in its URL is the
-- credential, kept only as its SHA-256 (like API tokens).
CREATE TABLE calendar_feeds (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id),
	secret_hash BYTEA NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	revoked_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX calendar_feeds_hash_idx ON calendar_feeds (secret_hash);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id, created_at);

-- Files sent with an outbox message (an invite.ics), in order.
CREATE TABLE mail_attachments (
	message_id   TEXT NOT NULL REFERENCES mail_outbox (id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         BYTEA NOT NULL,
	PRIMARY KEY (message_id, position)
);
