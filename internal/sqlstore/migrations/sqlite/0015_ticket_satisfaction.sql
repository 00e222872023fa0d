-- Per-ticket satisfaction imported from the service desk tool (SPEC C8):
-- one row per rated ticket, unique per tool (source) and the tool's ticket
-- id, so that importing the same export again updates instead of
-- duplicating. organisation_id is the account; rating is the score
-- normalised to 1–5; closed_on is YYYY-MM-DD. postgres/0015_ticket_satisfaction.sql
-- is its twin.
CREATE TABLE ticket_ratings (
	id              TEXT PRIMARY KEY,
	source          TEXT NOT NULL,
	external_id     TEXT NOT NULL,
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	service_id      TEXT REFERENCES services (id),
	person_email    TEXT NOT NULL DEFAULT '',
	score           REAL NOT NULL,
	scale           TEXT NOT NULL,
	rating          REAL NOT NULL CHECK (rating BETWEEN 1 AND 5),
	comment         TEXT NOT NULL DEFAULT '',
	closed_on       TEXT NOT NULL,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
-- A ticket is rated once per tool: re-importing updates.
CREATE UNIQUE INDEX ticket_ratings_source_idx ON ticket_ratings (source, external_id);
-- An account's list pages newest closed first; its monthly summary reads
-- the same index over twelve months.
CREATE INDEX ticket_ratings_organisation_idx ON ticket_ratings (organisation_id, closed_on, id);
CREATE INDEX ticket_ratings_closed_idx ON ticket_ratings (closed_on, id);
CREATE INDEX ticket_ratings_service_idx ON ticket_ratings (service_id) WHERE service_id IS NOT NULL;
