-- Service catalogue and usage (SPEC C4). postgres/0003_services.sql is its twin.
--
-- A level is keyed by (service_id, name): usages name their level, and the
-- composite foreign key keeps a level in use from being removed or renamed.

CREATE TABLE services (
	id                TEXT PRIMARY KEY,
	name              TEXT NOT NULL,
	description       TEXT NOT NULL DEFAULT '',
	status            TEXT NOT NULL,
	owner_id          TEXT REFERENCES users (id),
	customer_specific INTEGER NOT NULL CHECK (customer_specific IN (0, 1)),
	price_model       TEXT NOT NULL,
	currency          TEXT NOT NULL,
	external_id       TEXT NOT NULL DEFAULT '',
	search_text       TEXT NOT NULL DEFAULT '',
	version           INTEGER NOT NULL,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);
CREATE INDEX services_name_idx ON services (name, id);
CREATE INDEX services_status_idx ON services (status, name, id);
CREATE INDEX services_owner_id_idx ON services (owner_id);
CREATE UNIQUE INDEX services_external_id_key ON services (external_id) WHERE external_id <> '';

CREATE TABLE service_levels (
	service_id           TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
	name                 TEXT NOT NULL,
	position             INTEGER NOT NULL,
	description          TEXT NOT NULL DEFAULT '',
	availability_percent REAL,
	response_minutes     INTEGER,
	resolution_minutes   INTEGER,
	support_hours        TEXT NOT NULL DEFAULT '',
	price                REAL,
	PRIMARY KEY (service_id, name)
);

CREATE TABLE subscriptions (
	id              TEXT PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	service_id      TEXT NOT NULL REFERENCES services (id),
	level           TEXT NOT NULL,
	users           INTEGER,
	workload        TEXT NOT NULL DEFAULT '',
	contact_user_id TEXT REFERENCES users (id),
	started_on      TEXT,
	notes           TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	FOREIGN KEY (service_id, level) REFERENCES service_levels (service_id, name)
);
CREATE INDEX subscriptions_organisation_id_idx ON subscriptions (organisation_id);
CREATE INDEX subscriptions_service_id_idx ON subscriptions (service_id, level);
CREATE INDEX subscriptions_contact_user_id_idx ON subscriptions (contact_user_id);
CREATE INDEX subscriptions_created_at_idx ON subscriptions (created_at, id);
-- An account uses a service at a level once; its volume says how much.
CREATE UNIQUE INDEX subscriptions_usage_key ON subscriptions (organisation_id, service_id, level);
