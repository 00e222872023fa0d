-- Customers' decisions on customer-specific services (SPEC C4, seed 000).
-- postgres/0005_decisions.sql is its twin. A decision may be prepared with an
-- orderer (prepared_with_person_id) but is decided by the account's
-- customer (decided_by_person_id), checked when recorded.

CREATE TABLE decisions (
	id                      TEXT PRIMARY KEY,
	organisation_id         TEXT NOT NULL REFERENCES organisations (id),
	service_id              TEXT NOT NULL REFERENCES services (id),
	subscription_id         TEXT REFERENCES subscriptions (id) ON DELETE SET NULL,
	kind                    TEXT NOT NULL,
	summary                 TEXT NOT NULL,
	prepared_with_person_id TEXT REFERENCES people (id),
	decided_by_person_id    TEXT NOT NULL REFERENCES people (id),
	decided_on              TEXT NOT NULL,
	notes                   TEXT NOT NULL DEFAULT '',
	search_text             TEXT NOT NULL DEFAULT '',
	version                 INTEGER NOT NULL,
	created_at              TEXT NOT NULL,
	updated_at              TEXT NOT NULL
);
CREATE INDEX decisions_organisation_id_idx ON decisions (organisation_id, decided_on, id);
CREATE INDEX decisions_service_id_idx ON decisions (service_id, decided_on, id);
CREATE INDEX decisions_subscription_id_idx ON decisions (subscription_id);
CREATE INDEX decisions_decided_by_idx ON decisions (decided_by_person_id);
CREATE INDEX decisions_prepared_with_idx ON decisions (prepared_with_person_id);
CREATE INDEX decisions_created_at_idx ON decisions (created_at, id);
