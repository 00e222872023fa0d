-- Following accounts and notifications (SPEC C12, docs/notifications.md).
-- sqlite/0023_follows.sql is its twin.
-- follows: a user follows an account; created_at is when, and only the
-- account's timeline events after it are the user's notifications.
CREATE TABLE follows (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id),
	account_id  TEXT NOT NULL REFERENCES organisations (id),
	version     INTEGER NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX follows_user_account_idx ON follows (user_id, account_id);
CREATE INDEX follows_account_idx ON follows (account_id, created_at, id);
CREATE INDEX follows_user_created_idx ON follows (user_id, created_at, id);

-- A user's notification state, shared by every instance: the email digest
-- choice, the read watermark (every event at or before read_through is
-- read: "mark all read"), and how far the digest has gone.
CREATE TABLE notification_settings (
	user_id        TEXT PRIMARY KEY REFERENCES users (id),
	digest         TEXT NOT NULL DEFAULT 'off',
	read_through   TIMESTAMPTZ,
	digest_through TIMESTAMPTZ,
	digest_sent_on TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX notification_settings_digest_idx ON notification_settings (digest);

-- Events read one by one after the watermark; "mark all read" clears them.
CREATE TABLE notification_reads (
	user_id  TEXT NOT NULL REFERENCES users (id),
	entry_id TEXT NOT NULL,
	PRIMARY KEY (user_id, entry_id)
);
