-- Imports of units, people, roles, services, agreements and SLA results
-- (SPEC C15). A job keeps the uploaded file, the column mapping and the
-- progress between the steps of the import wizard, in the database: the
-- steps and the progress polls may reach different instances, so nothing
-- lives in a process's memory. report is the JSON of the last dry run or
-- commit. sqlite/0026_imports.sql is its twin.
CREATE TABLE import_jobs (
	id          TEXT PRIMARY KEY,
	kind        TEXT NOT NULL,
	file_name   TEXT NOT NULL DEFAULT '',
	data        BYTEA NOT NULL,
	mapping     JSONB NOT NULL DEFAULT '{}',
	status      TEXT NOT NULL,
	total       INTEGER NOT NULL DEFAULT 0,
	done        INTEGER NOT NULL DEFAULT 0,
	report      JSONB NOT NULL DEFAULT '{}',
	created_by  TEXT NOT NULL REFERENCES users (id),
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX import_jobs_created_by_idx ON import_jobs (created_by, created_at);
