-- The customer report pack as presented at a meeting (SPEC C7: "the copy
-- presented is stored with the meeting"). sqlite/0012 is its twin.
-- A copy is a finished PDF: it never changes, so it has no version.

CREATE TABLE meeting_report_copies (
	id              TEXT PRIMARY KEY,
	meeting_id      TEXT NOT NULL REFERENCES meetings (id),
	organisation_id TEXT NOT NULL REFERENCES organisations (id),
	period_from     TEXT NOT NULL,
	period_to       TEXT NOT NULL,
	language        TEXT NOT NULL,
	pdf             BYTEA NOT NULL,
	created_by_id   TEXT REFERENCES users (id),
	created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX meeting_report_copies_meeting_idx ON meeting_report_copies (meeting_id, created_at);
CREATE INDEX meeting_report_copies_organisation_idx ON meeting_report_copies (organisation_id);
CREATE INDEX meeting_report_copies_created_by_idx ON meeting_report_copies (created_by_id);
