-- The service-review cadence (SPEC C7): each agreement says how often its
-- customer has a service review; the smallest interval of an account's
-- active agreements counts. postgres/0013_review_cadence.sql is its twin.
ALTER TABLE agreements ADD COLUMN service_review_months INTEGER NOT NULL DEFAULT 12
	CHECK (service_review_months BETWEEN 1 AND 36);

