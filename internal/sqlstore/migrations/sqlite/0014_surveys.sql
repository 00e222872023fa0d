-- Satisfaction surveys (SPEC C8, seed 000 "Mätning av kundnöjdhet", seed
-- 002 满意度调查). postgres/0014_surveys.sql is its twin.
--
-- A survey's questions are published as immutable versions; a campaign
-- names the version it sends. Recipients hold the SHA-256 hash of their
-- personal link's token (hex), never the token. A response of an
-- anonymous campaign has no recipient_id, a random id and a day-precision
-- time, so nothing leads from it back to a recipient row.

CREATE TABLE surveys (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	description    TEXT NOT NULL DEFAULT '',
	survey_version INTEGER NOT NULL,
	search_text    TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	deleted_at     TEXT
);
CREATE INDEX surveys_name_idx ON surveys (name, id);
CREATE INDEX surveys_created_at_idx ON surveys (created_at, id);
CREATE INDEX surveys_updated_at_idx ON surveys (updated_at, id);

CREATE TABLE survey_versions (
	survey_id      TEXT NOT NULL REFERENCES surveys (id),
	number         INTEGER NOT NULL,
	name           TEXT NOT NULL,
	questions_json TEXT NOT NULL,
	created_by_id  TEXT REFERENCES users (id),
	created_at     TEXT NOT NULL,
	PRIMARY KEY (survey_id, number)
);
CREATE INDEX survey_versions_created_by_idx ON survey_versions (created_by_id);

CREATE TABLE campaigns (
	id             TEXT PRIMARY KEY,
	title          TEXT NOT NULL,
	survey_id      TEXT NOT NULL REFERENCES surveys (id),
	survey_version INTEGER NOT NULL,
	roles          TEXT NOT NULL,
	segment_id     TEXT REFERENCES segments (id),
	service_id     TEXT REFERENCES services (id),
	closes_on      TEXT NOT NULL,
	anonymous      INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
	status         TEXT NOT NULL,
	opened_at      TEXT,
	closed_at      TEXT,
	reminded_at    TEXT,
	created_by_id  TEXT REFERENCES users (id),
	search_text    TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	deleted_at     TEXT,
	FOREIGN KEY (survey_id, survey_version) REFERENCES survey_versions (survey_id, number)
);
CREATE INDEX campaigns_survey_idx ON campaigns (survey_id, survey_version);
CREATE INDEX campaigns_segment_idx ON campaigns (segment_id);
CREATE INDEX campaigns_service_idx ON campaigns (service_id);
CREATE INDEX campaigns_created_by_idx ON campaigns (created_by_id);
CREATE INDEX campaigns_title_idx ON campaigns (title, id);
CREATE INDEX campaigns_status_idx ON campaigns (status, id);
CREATE INDEX campaigns_created_at_idx ON campaigns (created_at, id);
CREATE INDEX campaigns_updated_at_idx ON campaigns (updated_at, id);

CREATE TABLE campaign_accounts (
	campaign_id     TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	position        INTEGER NOT NULL,
	PRIMARY KEY (campaign_id, organisation_id)
);
CREATE INDEX campaign_accounts_organisation_idx ON campaign_accounts (organisation_id);

CREATE TABLE campaign_recipients (
	id              TEXT PRIMARY KEY,
	campaign_id     TEXT NOT NULL REFERENCES campaigns (id),
	person_id       TEXT NOT NULL REFERENCES people (id),
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	segment_id      TEXT,
	role            TEXT NOT NULL,
	language        TEXT NOT NULL,
	token_hash      TEXT NOT NULL,
	responded_at    TEXT,
	reminded_at     TEXT,
	created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX campaign_recipients_token_key ON campaign_recipients (token_hash);
CREATE UNIQUE INDEX campaign_recipients_person_key ON campaign_recipients (campaign_id, person_id);
CREATE INDEX campaign_recipients_person_idx ON campaign_recipients (person_id);
CREATE INDEX campaign_recipients_organisation_idx ON campaign_recipients (organisation_id);

CREATE TABLE survey_responses (
	id              TEXT PRIMARY KEY,
	campaign_id     TEXT NOT NULL REFERENCES campaigns (id),
	recipient_id    TEXT REFERENCES campaign_recipients (id),
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	segment_id      TEXT,
	role            TEXT NOT NULL,
	answers_json    TEXT NOT NULL,
	submitted_at    TEXT NOT NULL
);
CREATE INDEX survey_responses_campaign_idx ON survey_responses (campaign_id);
CREATE UNIQUE INDEX survey_responses_recipient_key ON survey_responses (recipient_id);
CREATE INDEX survey_responses_organisation_idx ON survey_responses (organisation_id);
