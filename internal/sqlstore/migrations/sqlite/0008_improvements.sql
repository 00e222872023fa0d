-- Improvement suggestions (SPEC C9, seed 000 "Föreslå förbättringar", seed
-- 002 服务改进). postgres/0008_improvements.sql is its twin. complaint_id
-- names the complaint an improvement was created from; it has no foreign
-- key here (complaints arrive in their own migration).

CREATE TABLE improvements (
	id               TEXT PRIMARY KEY,
	title            TEXT NOT NULL,
	description      TEXT NOT NULL DEFAULT '',
	origin           TEXT NOT NULL,
	expected_benefit TEXT NOT NULL DEFAULT '',
	owner_id         TEXT REFERENCES users (id),
	status           TEXT NOT NULL,
	decision_note    TEXT NOT NULL DEFAULT '',
	realised_effect  TEXT NOT NULL DEFAULT '',
	complaint_id     TEXT,
	proposed_by_id   TEXT REFERENCES users (id),
	decided_by_id    TEXT REFERENCES users (id),
	decided_at       TEXT,
	done_at          TEXT,
	search_text      TEXT NOT NULL DEFAULT '',
	version          INTEGER NOT NULL,
	created_at       TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	deleted_at       TEXT
);
CREATE INDEX improvements_title_idx ON improvements (title, id);
CREATE INDEX improvements_status_idx ON improvements (status, id);
CREATE INDEX improvements_owner_id_idx ON improvements (owner_id);
CREATE INDEX improvements_proposed_by_idx ON improvements (proposed_by_id);
CREATE INDEX improvements_decided_by_idx ON improvements (decided_by_id);
CREATE INDEX improvements_complaint_id_idx ON improvements (complaint_id);
CREATE INDEX improvements_created_at_idx ON improvements (created_at, id);
CREATE INDEX improvements_updated_at_idx ON improvements (updated_at, id);

CREATE TABLE improvement_services (
	improvement_id TEXT NOT NULL REFERENCES improvements (id) ON DELETE CASCADE,
	service_id     TEXT NOT NULL REFERENCES services (id),
	position       INTEGER NOT NULL,
	PRIMARY KEY (improvement_id, service_id)
);
CREATE INDEX improvement_services_service_idx ON improvement_services (service_id);

CREATE TABLE improvement_accounts (
	improvement_id  TEXT NOT NULL REFERENCES improvements (id) ON DELETE CASCADE,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	position        INTEGER NOT NULL,
	PRIMARY KEY (improvement_id, organisation_id)
);
CREATE INDEX improvement_accounts_organisation_idx ON improvement_accounts (organisation_id);

-- The accounts that raised the demand an improvement answers.
CREATE TABLE improvement_raisers (
	improvement_id  TEXT NOT NULL REFERENCES improvements (id) ON DELETE CASCADE,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	raised_on       TEXT NOT NULL,
	note            TEXT NOT NULL DEFAULT '',
	recorded_by_id  TEXT REFERENCES users (id),
	created_at      TEXT NOT NULL,
	PRIMARY KEY (improvement_id, organisation_id)
);
CREATE INDEX improvement_raisers_organisation_idx ON improvement_raisers (organisation_id);
CREATE INDEX improvement_raisers_recorded_by_idx ON improvement_raisers (recorded_by_id);

-- Dated progress notes; customer_visible ones are the portal's.
CREATE TABLE improvement_updates (
	id               TEXT PRIMARY KEY,
	improvement_id   TEXT NOT NULL REFERENCES improvements (id) ON DELETE CASCADE,
	on_date          TEXT NOT NULL,
	note             TEXT NOT NULL,
	customer_visible INTEGER NOT NULL CHECK (customer_visible IN (0, 1)),
	author_id        TEXT REFERENCES users (id),
	created_at       TEXT NOT NULL
);
CREATE INDEX improvement_updates_improvement_idx ON improvement_updates (improvement_id, on_date, id);
CREATE INDEX improvement_updates_author_idx ON improvement_updates (author_id);
