-- Liaison schema, PostgreSQL dialect. sqlite/0001_init.sql is its twin; the
-- schema-parity test keeps their tables, columns and indexes the same.
--
-- Conventions: ids are text; times are timestamptz; dates are YYYY-MM-DD
-- text (one scanning path for both engines, and ISO dates sort as text);
-- soft-deleted rows have deleted_at set. Names and paths use the "C"
-- collation so that they sort byte-wise as on SQLite, whatever the
-- database's locale. search_text holds liaison.SearchText of the searchable
-- fields.

CREATE TABLE segments (
	id          TEXT PRIMARY KEY,
	name        TEXT COLLATE "C" NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	email         TEXT NOT NULL,
	name          TEXT COLLATE "C" NOT NULL,
	role          TEXT NOT NULL,
	language      TEXT NOT NULL,
	active        BOOLEAN NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	search_text   TEXT NOT NULL DEFAULT '',
	version       INTEGER NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	updated_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_name_idx ON users (name, id);

-- path is the materialized path of ids from the root, "/root/child/", so a
-- subtree is the range [path, path with its last "/" turned into "0").
CREATE TABLE organisations (
	id                      TEXT PRIMARY KEY,
	name                    TEXT COLLATE "C" NOT NULL,
	parent_id               TEXT REFERENCES organisations (id),
	path                    TEXT COLLATE "C" NOT NULL,
	depth                   INTEGER NOT NULL,
	budget_holder           BOOLEAN NOT NULL,
	segment_id              TEXT REFERENCES segments (id),
	relationship_manager_id TEXT REFERENCES users (id),
	deputy_id               TEXT REFERENCES users (id),
	description             TEXT NOT NULL DEFAULT '',
	external_id             TEXT NOT NULL DEFAULT '',
	last_reviewed_on        TEXT,
	search_text             TEXT NOT NULL DEFAULT '',
	version                 INTEGER NOT NULL,
	created_at              TIMESTAMPTZ NOT NULL,
	updated_at              TIMESTAMPTZ NOT NULL,
	deleted_at              TIMESTAMPTZ
);
CREATE INDEX organisations_parent_id_idx ON organisations (parent_id);
CREATE UNIQUE INDEX organisations_path_key ON organisations (path);
CREATE INDEX organisations_name_idx ON organisations (name, id);
CREATE INDEX organisations_segment_id_idx ON organisations (segment_id);
CREATE INDEX organisations_relationship_manager_id_idx ON organisations (relationship_manager_id);
CREATE INDEX organisations_deputy_id_idx ON organisations (deputy_id);
CREATE UNIQUE INDEX organisations_external_id_key ON organisations (external_id) WHERE external_id <> '' AND deleted_at IS NULL;

CREATE TABLE people (
	id              TEXT PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	name            TEXT COLLATE "C" NOT NULL,
	email           TEXT NOT NULL DEFAULT '',
	phone           TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL DEFAULT '',
	language        TEXT NOT NULL,
	external_id     TEXT NOT NULL DEFAULT '',
	notes           TEXT NOT NULL DEFAULT '',
	search_text     TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	deleted_at      TIMESTAMPTZ
);
CREATE INDEX people_organisation_id_idx ON people (organisation_id, name, id);
CREATE INDEX people_name_idx ON people (name, id);
CREATE UNIQUE INDEX people_email_key ON people (email) WHERE email <> '' AND deleted_at IS NULL;
CREATE UNIQUE INDEX people_external_id_key ON people (external_id) WHERE external_id <> '' AND deleted_at IS NULL;

CREATE TABLE contact_roles (
	id                 TEXT PRIMARY KEY,
	person_id          TEXT NOT NULL REFERENCES people (id),
	organisation_id    TEXT NOT NULL REFERENCES organisations (id),
	role               TEXT NOT NULL,
	label              TEXT NOT NULL DEFAULT '',
	active             BOOLEAN NOT NULL,
	it_contact_user_id TEXT REFERENCES users (id),
	version            INTEGER NOT NULL,
	created_at         TIMESTAMPTZ NOT NULL,
	updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX contact_roles_person_id_idx ON contact_roles (person_id);
CREATE INDEX contact_roles_organisation_id_idx ON contact_roles (organisation_id);
-- One active customer per account, even when two transactions race.
CREATE UNIQUE INDEX contact_roles_one_customer_key ON contact_roles (organisation_id) WHERE role = 'customer' AND active;

-- The audit trail is append-only and outlives what it describes, so it has
-- no foreign keys. organisation_id is '' for subjects outside the tree.
CREATE TABLE audit_entries (
	id              TEXT PRIMARY KEY,
	at              TIMESTAMPTZ NOT NULL,
	actor_id        TEXT NOT NULL,
	actor_name      TEXT NOT NULL,
	action          TEXT NOT NULL,
	subject_type    TEXT NOT NULL,
	subject_id      TEXT NOT NULL,
	organisation_id TEXT NOT NULL,
	summary         TEXT NOT NULL,
	before_json     JSONB,
	after_json      JSONB
);
CREATE INDEX audit_entries_subject_idx ON audit_entries (subject_id, at, id);
CREATE INDEX audit_entries_organisation_idx ON audit_entries (organisation_id, at, id);
CREATE INDEX audit_entries_at_idx ON audit_entries (at, id);

CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      JSONB NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
	hash       BYTEA PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id),
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE tokens (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id),
	name         TEXT COLLATE "C" NOT NULL,
	scope        TEXT NOT NULL,
	hash         BYTEA NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ,
	revoked_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX tokens_hash_key ON tokens (hash);
CREATE INDEX tokens_user_id_idx ON tokens (user_id);

-- One row per failed sign-in, shared by every instance; old rows of a key
-- are pruned when it fails again.
CREATE TABLE login_failures (
	key TEXT NOT NULL,
	at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

CREATE TABLE idempotency_keys (
	user_id      TEXT NOT NULL,
	key          TEXT NOT NULL,
	request_hash BYTEA NOT NULL,
	status       INTEGER NOT NULL,
	location     TEXT NOT NULL DEFAULT '',
	body         BYTEA NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (user_id, key)
);
