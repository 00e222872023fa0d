-- Publishable survey results (SPEC C8, "a publishable results page/PDF for
-- customers"): a closed campaign's results are published by staff when
-- they may be shown to the customers; published_at is then set, and
-- published_by_id names who published. Unpublishing clears both.
-- sqlite/0016_campaign_publishing.sql is its twin.
ALTER TABLE campaigns ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE campaigns ADD COLUMN published_by_id TEXT REFERENCES users (id);
CREATE INDEX campaigns_published_by_idx ON campaigns (published_by_id);
