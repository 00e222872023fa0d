-- Agreements (SPEC C5): the agreement, the services it covers, one row per
-- saved version, attachments and SLA results. postgres/0004 is its twin.

CREATE TABLE agreements (
	id                     TEXT PRIMARY KEY,
	organisation_id        TEXT NOT NULL REFERENCES organisations (id),
	title                  TEXT NOT NULL,
	type                   TEXT NOT NULL,
	status                 TEXT NOT NULL,
	signed_by_person_id    TEXT REFERENCES people (id),
	signed_on              TEXT,
	start_date             TEXT,
	end_date               TEXT,
	notice_months          INTEGER NOT NULL DEFAULT 0,
	renewal                TEXT NOT NULL,
	renewal_months         INTEGER NOT NULL DEFAULT 0,
	review_interval_months INTEGER NOT NULL,
	next_review_date       TEXT,
	annual_amount          REAL,
	currency               TEXT NOT NULL DEFAULT '',
	cost_centre            TEXT NOT NULL DEFAULT '',
	business_value         TEXT NOT NULL DEFAULT '',
	value_measures         TEXT NOT NULL DEFAULT '[]',
	notes                  TEXT NOT NULL DEFAULT '',
	external_id            TEXT NOT NULL DEFAULT '',
	search_text            TEXT NOT NULL DEFAULT '',
	version                INTEGER NOT NULL,
	created_at             TEXT NOT NULL,
	updated_at             TEXT NOT NULL,
	deleted_at             TEXT
);
CREATE INDEX agreements_organisation_id_idx ON agreements (organisation_id, status);
CREATE INDEX agreements_title_idx ON agreements (title, id);
CREATE INDEX agreements_status_idx ON agreements (status, organisation_id);
CREATE INDEX agreements_end_date_idx ON agreements (end_date, id);
CREATE INDEX agreements_signed_by_person_id_idx ON agreements (signed_by_person_id);
CREATE UNIQUE INDEX agreements_external_id_key ON agreements (external_id) WHERE external_id <> '' AND deleted_at IS NULL;

-- The services an agreement covers, in display order. level names one of
-- the service's levels ('' for none); the store checks it.
CREATE TABLE agreement_services (
	agreement_id TEXT NOT NULL REFERENCES agreements (id),
	service_id   TEXT NOT NULL REFERENCES services (id),
	level        TEXT NOT NULL DEFAULT '',
	position     INTEGER NOT NULL,
	PRIMARY KEY (agreement_id, service_id)
);
CREATE INDEX agreement_services_service_id_idx ON agreement_services (service_id);

-- Every saved version of an agreement, as JSON, for the revision history.
CREATE TABLE agreement_revisions (
	agreement_id TEXT NOT NULL REFERENCES agreements (id),
	version      INTEGER NOT NULL,
	at           TEXT NOT NULL,
	actor_id     TEXT NOT NULL,
	actor_name   TEXT NOT NULL,
	snapshot     TEXT NOT NULL,
	PRIMARY KEY (agreement_id, version)
);

CREATE TABLE agreement_attachments (
	id           TEXT PRIMARY KEY,
	agreement_id TEXT NOT NULL REFERENCES agreements (id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	data         BLOB NOT NULL,
	created_at   TEXT NOT NULL,
	created_by   TEXT NOT NULL
);
CREATE INDEX agreement_attachments_agreement_id_idx ON agreement_attachments (agreement_id, created_at);

CREATE TABLE sla_results (
	id               TEXT PRIMARY KEY,
	agreement_id     TEXT NOT NULL REFERENCES agreements (id),
	service_id       TEXT NOT NULL REFERENCES services (id),
	period           TEXT NOT NULL,
	metric           TEXT NOT NULL,
	higher_is_better INTEGER NOT NULL CHECK (higher_is_better IN (0, 1)),
	target           REAL NOT NULL,
	actual           REAL NOT NULL,
	unit             TEXT NOT NULL DEFAULT '',
	note             TEXT NOT NULL DEFAULT '',
	source           TEXT NOT NULL DEFAULT '',
	breached         INTEGER NOT NULL CHECK (breached IN (0, 1)),
	version          INTEGER NOT NULL,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL
);
CREATE INDEX sla_results_agreement_id_idx ON sla_results (agreement_id, period, id);
CREATE INDEX sla_results_service_id_idx ON sla_results (service_id, period);
