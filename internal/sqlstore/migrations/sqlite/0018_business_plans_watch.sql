-- Customer business plans (SPEC C2, seed 000 "Gå igenom kundens planer") and
-- technology watch notes (SPEC C11, seed 000 "Omvärldsbevaka"). The other
-- engine's 0018_business_plans_watch.sql is its twin.

CREATE TABLE business_plan_items (
	id                  TEXT PRIMARY KEY,
	organisation_id     TEXT NOT NULL REFERENCES organisations (id),
	title               TEXT NOT NULL,
	horizon             TEXT NOT NULL,
	target_date         TEXT,
	it_effect           TEXT NOT NULL DEFAULT '',
	source_url          TEXT NOT NULL DEFAULT '',
	review_date         TEXT NOT NULL,
	status              TEXT NOT NULL,
	owner_person_id     TEXT REFERENCES people (id),
	last_reviewed_on    TEXT,
	last_reviewed_by_id TEXT REFERENCES users (id),
	search_text         TEXT NOT NULL DEFAULT '',
	version             INTEGER NOT NULL,
	created_at          TEXT NOT NULL,
	updated_at          TEXT NOT NULL,
	deleted_at          TEXT
);
CREATE INDEX business_plan_items_org_idx ON business_plan_items (organisation_id, review_date);
CREATE INDEX business_plan_items_review_idx ON business_plan_items (status, review_date, id);
CREATE INDEX business_plan_items_title_idx ON business_plan_items (title, id);
CREATE INDEX business_plan_items_created_at_idx ON business_plan_items (created_at, id);
CREATE INDEX business_plan_items_updated_at_idx ON business_plan_items (updated_at, id);
CREATE INDEX business_plan_items_owner_idx ON business_plan_items (owner_person_id);
CREATE INDEX business_plan_items_reviewed_by_idx ON business_plan_items (last_reviewed_by_id);

CREATE TABLE business_plan_services (
	item_id    TEXT NOT NULL REFERENCES business_plan_items (id) ON DELETE CASCADE,
	service_id TEXT NOT NULL REFERENCES services (id),
	position   INTEGER NOT NULL,
	PRIMARY KEY (item_id, service_id)
);
CREATE INDEX business_plan_services_service_idx ON business_plan_services (service_id);

CREATE TABLE watch_notes (
	id             TEXT PRIMARY KEY,
	title          TEXT NOT NULL,
	summary        TEXT NOT NULL DEFAULT '',
	relevance      TEXT NOT NULL,
	relevance_note TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL,
	source_url     TEXT NOT NULL DEFAULT '',
	owner_id       TEXT REFERENCES users (id),
	improvement_id TEXT REFERENCES improvements (id),
	created_by_id  TEXT REFERENCES users (id),
	search_text    TEXT NOT NULL DEFAULT '',
	version        INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	deleted_at     TEXT
);
CREATE INDEX watch_notes_title_idx ON watch_notes (title, id);
CREATE INDEX watch_notes_status_idx ON watch_notes (status, id);
CREATE INDEX watch_notes_created_at_idx ON watch_notes (created_at, id);
CREATE INDEX watch_notes_updated_at_idx ON watch_notes (updated_at, id);
CREATE INDEX watch_notes_owner_idx ON watch_notes (owner_id);
CREATE INDEX watch_notes_created_by_idx ON watch_notes (created_by_id);
CREATE UNIQUE INDEX watch_notes_improvement_idx ON watch_notes (improvement_id);

CREATE TABLE watch_note_accounts (
	note_id         TEXT NOT NULL REFERENCES watch_notes (id) ON DELETE CASCADE,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	position        INTEGER NOT NULL,
	PRIMARY KEY (note_id, organisation_id)
);
CREATE INDEX watch_note_accounts_org_idx ON watch_note_accounts (organisation_id);

CREATE TABLE watch_note_services (
	note_id    TEXT NOT NULL REFERENCES watch_notes (id) ON DELETE CASCADE,
	service_id TEXT NOT NULL REFERENCES services (id),
	position   INTEGER NOT NULL,
	PRIMARY KEY (note_id, service_id)
);
CREATE INDEX watch_note_services_service_idx ON watch_note_services (service_id);
