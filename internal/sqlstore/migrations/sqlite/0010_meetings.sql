-- Meetings, their participants and action items (SPEC C7, seed 002 §3.2,
-- seed 000 "Genomför möten"). postgres/0010_meetings.sql is its twin.
-- Actions are the one task list (SPEC §4): an action may come from a
-- meeting, a trigger (issue 8) or an annual-cycle activity (0011); those
-- two ids carry no foreign key here because their tables arrive later.

CREATE TABLE meetings (
	id              TEXT PRIMARY KEY,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	type            TEXT NOT NULL,
	form            TEXT NOT NULL,
	title           TEXT NOT NULL,
	organiser_id    TEXT REFERENCES users (id),
	starts_at       TEXT NOT NULL,
	ends_at         TEXT NOT NULL,
	location        TEXT NOT NULL DEFAULT '',
	link            TEXT NOT NULL DEFAULT '',
	status          TEXT NOT NULL,
	agenda          TEXT NOT NULL DEFAULT '',
	minutes         TEXT NOT NULL DEFAULT '',
	published_at    TEXT,
	search_text     TEXT NOT NULL DEFAULT '',
	version         INTEGER NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	deleted_at      TEXT
);
CREATE INDEX meetings_organisation_idx ON meetings (organisation_id, starts_at, id);
CREATE INDEX meetings_starts_at_idx ON meetings (starts_at, id);
CREATE INDEX meetings_organiser_idx ON meetings (organiser_id, starts_at);

-- Participants are IT users or customer contacts (people): exactly one of
-- user_id and person_id is set.
CREATE TABLE meeting_participants (
	meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	user_id    TEXT REFERENCES users (id),
	person_id  TEXT REFERENCES people (id),
	CHECK ((user_id IS NULL) <> (person_id IS NULL)),
	PRIMARY KEY (meeting_id, position)
);
CREATE INDEX meeting_participants_user_idx ON meeting_participants (user_id);
CREATE INDEX meeting_participants_person_idx ON meeting_participants (person_id);

CREATE TABLE actions (
	id                TEXT PRIMARY KEY,
	title             TEXT NOT NULL,
	description       TEXT NOT NULL DEFAULT '',
	organisation_id   TEXT REFERENCES organisations (id),
	meeting_id        TEXT REFERENCES meetings (id),
	trigger_id        TEXT,
	cycle_activity_id TEXT,
	owner_id          TEXT REFERENCES users (id),
	due_date          TEXT,
	status            TEXT NOT NULL,
	done_at           TEXT,
	created_by_id     TEXT REFERENCES users (id),
	search_text       TEXT NOT NULL DEFAULT '',
	version           INTEGER NOT NULL,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL,
	deleted_at        TEXT
);
CREATE INDEX actions_owner_idx ON actions (owner_id, status, due_date, id);
CREATE INDEX actions_organisation_idx ON actions (organisation_id, status, due_date, id);
CREATE INDEX actions_meeting_idx ON actions (meeting_id);
CREATE INDEX actions_created_by_idx ON actions (created_by_id);
CREATE INDEX actions_due_idx ON actions (status, due_date, id);

-- Decisions recorded at a meeting, in the order they were taken; part of
-- the published meeting report.
CREATE TABLE meeting_decisions (
	id            TEXT PRIMARY KEY,
	meeting_id    TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
	text          TEXT NOT NULL,
	created_by_id TEXT REFERENCES users (id),
	created_at    TEXT NOT NULL
);
CREATE INDEX meeting_decisions_meeting_idx ON meeting_decisions (meeting_id, created_at);

-- Agenda templates users create (admin and head curate them). The default
-- service-review template is built in (its text is translated, in the
-- locale files) and has no row here.
CREATE TABLE meeting_templates (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	type        TEXT NOT NULL DEFAULT '',
	agenda      TEXT NOT NULL,
	version     INTEGER NOT NULL,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	deleted_at  TEXT
);
