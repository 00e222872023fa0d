-- The category of each timeline entry (liaison.TimelineCategory of its
-- subject type), so that a category filter reads one range of
-- timeline_entries_category_idx. Before, it read the newest page of each of
-- the category's subject types and merged them, and "other" (every type
-- no category names) walked the account's whole timeline to find its few
-- entries: 381,631 entries for dataset L's largest account.
-- The rows already there are filled by Go in the same transaction
-- (migrate.go's goSteps: the mapping lives in timeline.go), as written
-- rows are by tx.audit. A change to the mapping of a subject type that
-- has entries needs a migration that fills their category again.
-- postgres/0029_timeline_category.sql is its twin.
ALTER TABLE timeline_entries ADD COLUMN category TEXT NOT NULL DEFAULT '';
CREATE INDEX timeline_entries_category_idx ON timeline_entries (account_id, category, at, id);

-- The subject-type index goes: a subject type is in one category, so a
-- subject-type or kind filter reads its category's range and filters it
-- (audit.go). One index less to write with every audited change.
DROP INDEX timeline_entries_subject_idx;
