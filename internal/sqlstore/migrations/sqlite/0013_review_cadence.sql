-- The service-review cadence (SPEC C7): each agreement says how often its
-- customer has a service review; the smallest interval of an account's
-- active agreements counts. postgres/0013_review_cadence.sql is its twin.
ALTER TABLE agreements ADD COLUMN service_review_months INTEGER NOT NULL DEFAULT 12
	CHECK (service_review_months BETWEEN 1 AND 36);


-- "My actions" and an account's actions list open actions soonest due
-- first, undated last: the order is COALESCE(due_date, '9999-12-31') (see
-- sqlstore/action.go), indexed so that a first page reads 51 rows, not
-- every open action of the owner.
CREATE INDEX actions_owner_due_idx ON actions (owner_id, status, (COALESCE(due_date, '9999-12-31')), id) WHERE deleted_at IS NULL;
CREATE INDEX actions_organisation_due_idx ON actions (organisation_id, status, (COALESCE(due_date, '9999-12-31')), id) WHERE deleted_at IS NULL;

-- The cadence list (sqlstore ReviewCadence) in one query at dataset L: the
-- smallest interval of each account's active agreements from an index
-- alone, and each account's last held service review by one index seek
-- rather than a walk through its other meetings.
CREATE INDEX agreements_review_idx ON agreements (status, organisation_id, service_review_months) WHERE deleted_at IS NULL;
CREATE INDEX meetings_held_review_idx ON meetings (organisation_id, starts_at) WHERE type = 'service_review' AND status = 'held' AND deleted_at IS NULL;
