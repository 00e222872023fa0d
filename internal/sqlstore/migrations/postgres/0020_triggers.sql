-- Triggers (SPEC C12, seed 000 "Trigger"): the events that start business
-- relationship work on an account. sqlite/0020_triggers.sql is its twin.
-- organisation_id is the unit the trigger concerns, account_id the nearest
-- budget holder at or above it (kept so that an account's triggers list
-- without walking the tree). action_id is the task the trigger opened in
-- the same transaction; its status is the trigger's. external_ref is the
-- posting system's id: unique, so that a repeated post finds the first.

CREATE TABLE triggers (
	id              TEXT PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	account_id      TEXT NOT NULL REFERENCES organisations (id),
	kind            TEXT NOT NULL,
	title           TEXT NOT NULL,
	description     TEXT NOT NULL DEFAULT '',
	occurred_on     TEXT NOT NULL,
	source          TEXT NOT NULL,
	external_ref    TEXT,
	service_id      TEXT REFERENCES services (id),
	reported_by_id  TEXT REFERENCES users (id),
	action_id       TEXT NOT NULL REFERENCES actions (id),
	assigned_to     TEXT NOT NULL,
	search_text     TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	deleted_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX triggers_external_ref_idx ON triggers (external_ref);
CREATE INDEX triggers_organisation_idx ON triggers (organisation_id);
CREATE INDEX triggers_account_idx ON triggers (account_id, occurred_on, id);
CREATE INDEX triggers_occurred_on_idx ON triggers (occurred_on, id);
CREATE INDEX triggers_kind_idx ON triggers (kind, occurred_on, id);
CREATE INDEX triggers_title_idx ON triggers (title, id);
CREATE INDEX triggers_created_at_idx ON triggers (created_at, id);
CREATE INDEX triggers_updated_at_idx ON triggers (updated_at, id);
CREATE INDEX triggers_service_idx ON triggers (service_id);
CREATE INDEX triggers_reported_by_idx ON triggers (reported_by_id);
CREATE INDEX triggers_action_idx ON triggers (action_id);

-- An action's trigger: the trigger page shows its task, the task its trigger.
CREATE INDEX actions_trigger_idx ON actions (trigger_id);
