-- Projects and steering groups (SPEC C10, seed 003 §6.2). sqlite/0019_projects.sql
-- is its twin. A project belongs to a customer account (organisation_id)
-- or is an internal IT project (NULL).

CREATE TABLE projects (
	id                 TEXT PRIMARY KEY,
	organisation_id    TEXT REFERENCES organisations (id),
	name               TEXT NOT NULL,
	description        TEXT NOT NULL DEFAULT '',
	project_manager_id TEXT REFERENCES users (id),
	status             TEXT NOT NULL,
	phase              TEXT NOT NULL DEFAULT '',
	health             TEXT NOT NULL,
	health_note        TEXT NOT NULL DEFAULT '',
	health_changed_at  TIMESTAMPTZ,
	start_date         TEXT NOT NULL DEFAULT '',
	end_date           TEXT NOT NULL DEFAULT '',
	tool_url           TEXT NOT NULL DEFAULT '',
	internal_note      TEXT NOT NULL DEFAULT '',
	agreed_at          TIMESTAMPTZ,
	guide_reviewed_on  TEXT NOT NULL DEFAULT '',
	guide_meeting_id   TEXT REFERENCES meetings (id),
	search_text        TEXT NOT NULL DEFAULT '',
	version            INTEGER NOT NULL,
	created_at         TIMESTAMPTZ NOT NULL,
	updated_at         TIMESTAMPTZ NOT NULL,
	deleted_at         TIMESTAMPTZ
);
CREATE INDEX projects_name_idx ON projects (name, id);
CREATE INDEX projects_organisation_idx ON projects (organisation_id, status);
CREATE INDEX projects_manager_idx ON projects (project_manager_id);
CREATE INDEX projects_status_idx ON projects (status, id);
CREATE INDEX projects_guide_meeting_idx ON projects (guide_meeting_id);
CREATE INDEX projects_created_at_idx ON projects (created_at, id);
CREATE INDEX projects_updated_at_idx ON projects (updated_at, id);

-- Every health the project has had, with why and who: the RAG history.
CREATE TABLE project_health (
	id            TEXT PRIMARY KEY,
	project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	health        TEXT NOT NULL,
	note          TEXT NOT NULL DEFAULT '',
	changed_by_id TEXT REFERENCES users (id),
	changed_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX project_health_project_idx ON project_health (project_id, changed_at);
CREATE INDEX project_health_changed_by_idx ON project_health (changed_by_id);

-- The steering group: one row a seat, held by a person xor a user.
CREATE TABLE project_board (
	id         TEXT PRIMARY KEY,
	project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	person_id  TEXT REFERENCES people (id),
	user_id    TEXT REFERENCES users (id),
	represents TEXT NOT NULL,
	note       TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL,
	CHECK ((person_id IS NULL) <> (user_id IS NULL))
);
CREATE INDEX project_board_project_idx ON project_board (project_id, role);
CREATE INDEX project_board_person_idx ON project_board (person_id);
CREATE INDEX project_board_user_idx ON project_board (user_id);

-- Every delivery of the steering-group guide: to whom, when, in which language.
CREATE TABLE project_guide_deliveries (
	id              TEXT PRIMARY KEY,
	project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	occasion        TEXT NOT NULL,
	member_id       TEXT,
	person_id       TEXT REFERENCES people (id),
	user_id         TEXT REFERENCES users (id),
	role            TEXT NOT NULL DEFAULT '',
	recipient_name  TEXT NOT NULL,
	recipient_email TEXT NOT NULL,
	language        TEXT NOT NULL,
	sent_by_id      TEXT REFERENCES users (id),
	delivered_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX project_guide_deliveries_project_idx ON project_guide_deliveries (project_id, delivered_at);
CREATE INDEX project_guide_deliveries_person_idx ON project_guide_deliveries (person_id);
CREATE INDEX project_guide_deliveries_user_idx ON project_guide_deliveries (user_id);
CREATE INDEX project_guide_deliveries_sent_by_idx ON project_guide_deliveries (sent_by_id);

-- The lessons log; internal lessons never reach the customer.
CREATE TABLE project_lessons (
	id             TEXT PRIMARY KEY,
	project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	title          TEXT NOT NULL,
	what_happened  TEXT NOT NULL DEFAULT '',
	recommendation TEXT NOT NULL DEFAULT '',
	category       TEXT NOT NULL,
	on_date        TEXT NOT NULL,
	internal       BOOLEAN NOT NULL,
	author_id      TEXT REFERENCES users (id),
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX project_lessons_project_idx ON project_lessons (project_id, on_date);
CREATE INDEX project_lessons_author_idx ON project_lessons (author_id);
