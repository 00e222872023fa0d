-- The account plan (SPEC C3, seed 003 §6.1): one living, internal plan per
-- customer account. account_plans holds the current version's number;
-- account_plan_versions every saved version as a JSON document of its six
-- sections; account_plan_items the current version's items, one row each,
-- so that the analysis across accounts (items due in a period) is a query.
-- plan_templates shapes the plans: id 'default', or a segment's id for
-- the segment's own template. tokens.customer_id restricts an API token to
-- one customer account (an external principal). An item's service_id has no
-- foreign key: a plan keeps naming a service that was later removed.
-- postgres/0017_account_plans.sql is its twin.

ALTER TABLE tokens ADD COLUMN customer_id TEXT REFERENCES organisations (id);
CREATE INDEX tokens_customer_id_idx ON tokens (customer_id);

CREATE TABLE account_plans (
	organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
	version         INTEGER NOT NULL,
	updated_at      TEXT NOT NULL,
	updated_by_id   TEXT REFERENCES users (id),
	updated_by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX account_plans_updated_by_idx ON account_plans (updated_by_id);

CREATE TABLE account_plan_versions (
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	number          INTEGER NOT NULL,
	sections_json   TEXT NOT NULL,
	author_id       TEXT REFERENCES users (id),
	author_name     TEXT NOT NULL DEFAULT '',
	added           INTEGER NOT NULL DEFAULT 0,
	removed         INTEGER NOT NULL DEFAULT 0,
	changed         INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	PRIMARY KEY (organisation_id, number)
);
CREATE INDEX account_plan_versions_author_idx ON account_plan_versions (author_id);

CREATE TABLE account_plan_items (
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	item_id         TEXT NOT NULL,
	section         TEXT NOT NULL,
	position        INTEGER NOT NULL,
	title           TEXT NOT NULL,
	due_date        TEXT,
	note            TEXT NOT NULL DEFAULT '',
	service_id      TEXT,
	override_reason TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (organisation_id, item_id)
);
CREATE INDEX account_plan_items_due_idx ON account_plan_items (due_date, section);
CREATE INDEX account_plan_items_service_idx ON account_plan_items (service_id);

CREATE TABLE plan_templates (
	id            TEXT PRIMARY KEY,
	segment_id    TEXT REFERENCES segments (id) ON DELETE CASCADE,
	sections_json TEXT NOT NULL,
	version       INTEGER NOT NULL,
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX plan_templates_segment_idx ON plan_templates (segment_id);
