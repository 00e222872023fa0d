-- The account timeline (SPEC C12, issue 8): every audit entry names the
-- account it happened in, the nearest budget-holding unit at or above its
-- unit, computed when the entry is written (tx.audit). An account's
-- timeline is then one index range, however large or small the account:
-- (account_id, at, id). Entries outside the tree, or of units with no
-- account above them, have ''. History stays with the account it happened
-- in: moving a unit, or making a unit a budget holder, leaves the entries
-- written before as they were. The entries written before this migration
-- are assigned by the tree as it is now, the only one known.
-- postgres/0021_timeline_account.sql is its twin.
ALTER TABLE audit_entries ADD COLUMN account_id TEXT NOT NULL DEFAULT '';

CREATE TABLE timeline_account_backfill (unit_id TEXT PRIMARY KEY, account_id TEXT NOT NULL);
INSERT INTO timeline_account_backfill (unit_id, account_id)
WITH RECURSIVE up (unit_id, id, parent_id, holder, n) AS (
	SELECT id, id, parent_id, budget_holder, 0 FROM organisations
	UNION ALL
	SELECT up.unit_id, o.id, o.parent_id, o.budget_holder, up.n + 1 FROM up JOIN organisations o ON o.id = up.parent_id
	WHERE up.holder = FALSE AND up.n < 10000
)
SELECT unit_id, id FROM up WHERE holder = TRUE;
UPDATE audit_entries SET account_id = m.account_id FROM timeline_account_backfill m WHERE m.unit_id = audit_entries.organisation_id;
DROP TABLE timeline_account_backfill;

-- A response to a named campaign was recorded as a change of the campaign,
-- so every response showed on the account's timeline as "Survey campaign
-- changed": it is a response received, whose subject is the response.
UPDATE audit_entries SET subject_type = 'survey_response', action = 'create',
	subject_id = json_extract(after_json, '$.id'),
	summary = substr(summary, 1, length(summary) - length(': response received'))
WHERE subject_type = 'campaign' AND action = 'update' AND organisation_id <> ''
	AND summary LIKE '%: response received' AND json_extract(after_json, '$.campaign_id') IS NOT NULL;

CREATE INDEX audit_entries_account_idx ON audit_entries (account_id, at, id);
CREATE INDEX audit_entries_account_subject_idx ON audit_entries (account_id, subject_type, at, id);
