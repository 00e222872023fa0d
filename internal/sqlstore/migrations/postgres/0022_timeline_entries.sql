-- The account timeline as a table of its own (SPEC C12, issue 8): each
-- entry of audit_entries that happened in an account (account_id <> '')
-- is copied here when it is written, with the columns a timeline page
-- shows and the id its link needs (link_id, liaison.LinkID). On
-- PostgreSQL the primary key includes the other columns, so that a page is
-- read from the index alone.
-- An account's page is then one contiguous range of a few database pages,
-- where audit_entries_account_idx found 51 index entries and then sought
-- each row in the 1,000,000-row trail, scattered over years of writes (the
-- profile in docs/benchmarks.md: a quarter of the CPU in those seeks).
-- audit_entries stays the whole, append-only trail; its two account
-- indexes are dropped: only the timeline read them.
-- sqlite/0022_timeline_entries.sql is its twin.
CREATE TABLE timeline_entries (
	account_id      TEXT NOT NULL,
	at              TIMESTAMPTZ NOT NULL,
	id              TEXT NOT NULL,
	actor_id        TEXT NOT NULL,
	actor_name      TEXT NOT NULL,
	action          TEXT NOT NULL,
	subject_type    TEXT NOT NULL,
	subject_id      TEXT NOT NULL,
	organisation_id TEXT NOT NULL,
	summary         TEXT NOT NULL,
	link_id         TEXT NOT NULL,
	PRIMARY KEY (account_id, at, id) INCLUDE (actor_id, actor_name, action, subject_type, subject_id, organisation_id, summary, link_id)
);

-- link_id of the entries written before: the subject's own id, or the
-- field of its record that names the page's record (the fields of
-- timeline.go's subjectPages at this version; the rest link to themselves).
INSERT INTO timeline_entries (account_id, at, id, actor_id, actor_name, action, subject_type, subject_id, organisation_id, summary, link_id)
WITH pages (subject_type, field) AS (VALUES
	('role', 'person_id'),
	('subscription', 'organisation_id'),
	('decision', 'organisation_id'),
	('sla_result', 'organisation_id'),
	('agreement_attachment', 'agreement_id'),
	('meeting_decision', 'meeting_id'),
	('meeting_report_copy', 'meeting_id'),
	('improvement_update', 'improvement_id'),
	('improvement_raiser', 'improvement_id'),
	('cycle_task', 'organisation_id'),
	('survey_response', 'campaign_id'))
SELECT a.account_id, a.at, a.id, a.actor_id, a.actor_name, a.action, a.subject_type, a.subject_id, a.organisation_id, a.summary,
	CASE WHEN p.field IS NULL THEN a.subject_id
	ELSE COALESCE(NULLIF(a.after_json ->> p.field, ''), NULLIF(a.before_json ->> p.field, ''), '') END
FROM audit_entries a LEFT JOIN pages p ON p.subject_type = a.subject_type
WHERE a.account_id <> ''
ORDER BY a.account_id, a.at, a.id;

CREATE INDEX timeline_entries_subject_idx ON timeline_entries (account_id, subject_type, at, id);
DROP INDEX audit_entries_account_idx;
DROP INDEX audit_entries_account_subject_idx;
