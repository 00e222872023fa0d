-- The customer data map (SPEC C15, seed 004 §6) and contact channels,
-- logged customer contacts and announcements (SPEC C16, seed 004 §7).
-- postgres/0027_data_map_channels.sql is its twin. A data source's needs
-- and flows are small lists always read and written with it: JSON text.
-- A contact's account_id is the nearest budget holder at or above its
-- unit, kept so that an account's contacts list by one index. An
-- announcement's targeted accounts are JSON too (the portal reads them by
-- account through announcement_targets).

CREATE TABLE data_sources (
	id                 TEXT PRIMARY KEY,
	name               TEXT NOT NULL,
	name_key           TEXT NOT NULL,
	description        TEXT NOT NULL DEFAULT '',
	data               TEXT NOT NULL DEFAULT '',
	maintainer_unit    TEXT NOT NULL DEFAULT '',
	maintainer_user_id TEXT REFERENCES users (id),
	refresh_days       INTEGER NOT NULL DEFAULT 0,
	last_updated_on    TEXT NOT NULL DEFAULT '',
	needs              TEXT NOT NULL DEFAULT '[]',
	flows              TEXT NOT NULL DEFAULT '[]',
	search_text        TEXT NOT NULL DEFAULT '',
	version            INTEGER NOT NULL,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	deleted_at         TEXT
);
CREATE UNIQUE INDEX data_sources_name_idx ON data_sources (name_key) WHERE deleted_at IS NULL;
CREATE INDEX data_sources_sort_name_idx ON data_sources (name, id);
CREATE INDEX data_sources_created_at_idx ON data_sources (created_at, id);
CREATE INDEX data_sources_updated_at_idx ON data_sources (updated_at, id);
CREATE INDEX data_sources_maintainer_idx ON data_sources (maintainer_user_id);

CREATE TABLE channels (
	id              TEXT PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	kind            TEXT NOT NULL,
	name            TEXT NOT NULL,
	address         TEXT NOT NULL DEFAULT '',
	user_id         TEXT REFERENCES users (id),
	service_id      TEXT REFERENCES services (id),
	note            TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	deleted_at      TEXT
);
CREATE INDEX channels_organisation_idx ON channels (organisation_id, kind, id);
CREATE INDEX channels_user_idx ON channels (user_id);
CREATE INDEX channels_service_idx ON channels (service_id);

CREATE TABLE contacts (
	id              TEXT PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	account_id      TEXT NOT NULL REFERENCES organisations (id),
	channel         TEXT NOT NULL,
	kind            TEXT NOT NULL,
	subject         TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	received_on     TEXT NOT NULL,
	person_id       TEXT REFERENCES people (id),
	service_id      TEXT REFERENCES services (id),
	responsible_id  TEXT REFERENCES users (id),
	status          TEXT NOT NULL,
	resolution      TEXT NOT NULL DEFAULT '',
	project_id      TEXT REFERENCES projects (id),
	action_id       TEXT REFERENCES actions (id),
	received_by_id  TEXT REFERENCES users (id),
	manager_id      TEXT NOT NULL DEFAULT '',
	closed_at       TEXT,
	search_text     TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	deleted_at      TEXT
);
CREATE INDEX contacts_account_idx ON contacts (account_id, received_on, id);
CREATE INDEX contacts_organisation_idx ON contacts (organisation_id);
CREATE INDEX contacts_received_on_idx ON contacts (received_on, id);
CREATE INDEX contacts_subject_idx ON contacts (subject, id);
CREATE INDEX contacts_created_at_idx ON contacts (created_at, id);
CREATE INDEX contacts_updated_at_idx ON contacts (updated_at, id);
CREATE INDEX contacts_status_idx ON contacts (status, received_on, id);
CREATE INDEX contacts_responsible_idx ON contacts (responsible_id, status);
CREATE INDEX contacts_person_idx ON contacts (person_id);
CREATE INDEX contacts_service_idx ON contacts (service_id);
CREATE INDEX contacts_project_idx ON contacts (project_id);
CREATE INDEX contacts_action_idx ON contacts (action_id);
CREATE INDEX contacts_received_by_idx ON contacts (received_by_id);

CREATE TABLE announcements (
	id               TEXT PRIMARY KEY,
	kind             TEXT NOT NULL,
	title            TEXT NOT NULL,
	body             TEXT NOT NULL DEFAULT '',
	service_id       TEXT REFERENCES services (id),
	organisation_ids TEXT NOT NULL DEFAULT '[]',
	starts_on        TEXT NOT NULL DEFAULT '',
	ends_on          TEXT NOT NULL DEFAULT '',
	status           TEXT NOT NULL,
	published_at     TEXT,
	recipients       INTEGER NOT NULL DEFAULT 0,
	author_id        TEXT REFERENCES users (id),
	search_text      TEXT NOT NULL DEFAULT '',
	version          INTEGER NOT NULL,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	deleted_at       TEXT
);
CREATE INDEX announcements_created_at_idx ON announcements (created_at, id);
CREATE INDEX announcements_status_idx ON announcements (status, created_at, id);
CREATE INDEX announcements_service_idx ON announcements (service_id);
CREATE INDEX announcements_author_idx ON announcements (author_id);

CREATE TABLE announcement_targets (
	announcement_id TEXT NOT NULL REFERENCES announcements (id),
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	PRIMARY KEY (announcement_id, organisation_id)
);
CREATE INDEX announcement_targets_organisation_idx ON announcement_targets (organisation_id);
