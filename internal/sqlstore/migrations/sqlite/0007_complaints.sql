-- Complaints (SPEC C6), their history and logged communications, and
-- escalations (SPEC C12) with the complaints they link.
-- postgres/0007_complaints.sql is its twin. account_id is the nearest
-- account at or above organisation_id, derived when written. supplier_id
-- has no foreign key yet: suppliers arrive in another migration.
-- improvement_id names the improvement suggestion made when a complaint
-- cannot be solved within the current service level.

CREATE TABLE complaints (
	id                       TEXT PRIMARY KEY,
	organisation_id          TEXT NOT NULL REFERENCES organisations (id),
	account_id               TEXT REFERENCES organisations (id),
	service_id               TEXT REFERENCES services (id),
	supplier_id              TEXT,
	reporter_person_id       TEXT REFERENCES people (id),
	reporter_user_id         TEXT REFERENCES users (id),
	channel                  TEXT NOT NULL,
	classification           TEXT NOT NULL,
	external_ticket          TEXT NOT NULL DEFAULT '',
	status                   TEXT NOT NULL,
	severity                 TEXT NOT NULL,
	title                    TEXT NOT NULL,
	description              TEXT NOT NULL DEFAULT '',
	category                 TEXT NOT NULL DEFAULT '',
	category_key             TEXT NOT NULL DEFAULT '',
	root_cause               TEXT NOT NULL DEFAULT '',
	received_at              TEXT NOT NULL,
	coordinator_id           TEXT REFERENCES users (id),
	responsible_id           TEXT REFERENCES users (id),
	beyond_level_explanation TEXT NOT NULL DEFAULT '',
	improvement_id           TEXT,
	recurring                INTEGER NOT NULL DEFAULT 0 CHECK (recurring IN (0, 1)),
	resolved_at              TEXT,
	closed_at                TEXT,
	search_text              TEXT NOT NULL DEFAULT '',
	version                  INTEGER NOT NULL,
	created_at               TEXT NOT NULL,
	updated_at               TEXT NOT NULL,
	deleted_at               TEXT
);
-- Lists page newest first (created_at) within a unit, an account or a status.
-- Optional references are indexed where set (partial indexes): most
-- complaints name no supplier or IT reporter, and every index is written
-- by every create.
CREATE INDEX complaints_organisation_id_idx ON complaints (organisation_id, created_at, id);
CREATE INDEX complaints_account_id_idx ON complaints (account_id, created_at, id);
CREATE INDEX complaints_service_id_idx ON complaints (service_id, received_at, id) WHERE service_id IS NOT NULL;
CREATE INDEX complaints_category_key_idx ON complaints (category_key, received_at, id);
CREATE INDEX complaints_supplier_id_idx ON complaints (supplier_id) WHERE supplier_id IS NOT NULL;
CREATE INDEX complaints_status_idx ON complaints (status, created_at, id);
CREATE INDEX complaints_received_at_idx ON complaints (received_at, id);
CREATE INDEX complaints_created_at_idx ON complaints (created_at, id);
CREATE INDEX complaints_reporter_person_idx ON complaints (reporter_person_id) WHERE reporter_person_id IS NOT NULL;
CREATE INDEX complaints_reporter_user_idx ON complaints (reporter_user_id) WHERE reporter_user_id IS NOT NULL;
CREATE INDEX complaints_coordinator_idx ON complaints (coordinator_id) WHERE coordinator_id IS NOT NULL;
CREATE INDEX complaints_responsible_idx ON complaints (responsible_id) WHERE responsible_id IS NOT NULL;

-- Every transition, reclassification and reassignment: who, when, a note.
CREATE TABLE complaint_events (
	id           TEXT PRIMARY KEY,
	complaint_id TEXT NOT NULL REFERENCES complaints (id),
	at           TEXT NOT NULL,
	actor_id     TEXT NOT NULL DEFAULT '',
	actor_name   TEXT NOT NULL DEFAULT '',
	kind         TEXT NOT NULL,
	from_value   TEXT NOT NULL DEFAULT '',
	to_value     TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint_idx ON complaint_events (complaint_id, at, id);

-- Every exchange with the complainant: sent notifications and logged
-- calls, emails and meetings.
CREATE TABLE complaint_communications (
	id           TEXT PRIMARY KEY,
	complaint_id TEXT NOT NULL REFERENCES complaints (id),
	at           TEXT NOT NULL,
	kind         TEXT NOT NULL,
	direction    TEXT NOT NULL,
	person_id    TEXT REFERENCES people (id),
	summary      TEXT NOT NULL,
	mail_id      TEXT,
	user_id      TEXT NOT NULL DEFAULT '',
	user_name    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_communications_complaint_idx ON complaint_communications (complaint_id, at, id);
CREATE INDEX complaint_communications_person_idx ON complaint_communications (person_id);

-- Escalations to head (recurring complaints raise one per cluster,
-- cluster_key "service:<id>" or "category:<key>") or the IT steering group.
CREATE TABLE escalations (
	id              TEXT PRIMARY KEY,
	target          TEXT NOT NULL,
	kind            TEXT NOT NULL,
	cluster_key     TEXT NOT NULL DEFAULT '',
	category        TEXT NOT NULL DEFAULT '',
	reason          TEXT NOT NULL,
	organisation_id TEXT REFERENCES organisations (id),
	service_id      TEXT REFERENCES services (id),
	status          TEXT NOT NULL,
	raised_by_id    TEXT NOT NULL DEFAULT '',
	raised_by_name  TEXT NOT NULL DEFAULT '',
	raised_at       TEXT NOT NULL,
	decision        TEXT NOT NULL DEFAULT '',
	decided_by_id   TEXT REFERENCES users (id),
	decided_at      TEXT,
	closed_at       TEXT,
	search_text     TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE INDEX escalations_raised_at_idx ON escalations (raised_at, id);
CREATE INDEX escalations_created_at_idx ON escalations (created_at, id);
CREATE INDEX escalations_cluster_idx ON escalations (cluster_key, status);
CREATE INDEX escalations_organisation_id_idx ON escalations (organisation_id);
CREATE INDEX escalations_service_id_idx ON escalations (service_id);
CREATE INDEX escalations_decided_by_idx ON escalations (decided_by_id);

CREATE TABLE escalation_complaints (
	escalation_id TEXT NOT NULL REFERENCES escalations (id),
	complaint_id  TEXT NOT NULL REFERENCES complaints (id),
	PRIMARY KEY (escalation_id, complaint_id)
);
CREATE INDEX escalation_complaints_complaint_idx ON escalation_complaints (complaint_id);
