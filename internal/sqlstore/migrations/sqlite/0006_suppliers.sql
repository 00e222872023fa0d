-- Suppliers behind services (SPEC C4): third parties, linked to the
-- services they deliver for and named by SLA results (and complaints, whose
-- table has its own supplier_id). postgres/0006_suppliers.sql is its twin.

CREATE TABLE suppliers (
	id                 TEXT PRIMARY KEY,
	name               TEXT NOT NULL,
	name_key           TEXT NOT NULL,
	registration_id    TEXT NOT NULL DEFAULT '',
	description        TEXT NOT NULL DEFAULT '',
	contact_name       TEXT NOT NULL DEFAULT '',
	contact_email      TEXT NOT NULL DEFAULT '',
	contact_phone      TEXT NOT NULL DEFAULT '',
	website            TEXT NOT NULL DEFAULT '',
	contract_reference TEXT NOT NULL DEFAULT '',
	contract_end_date  TEXT,
	status             TEXT NOT NULL,
	notes              TEXT NOT NULL DEFAULT '',
	search_text        TEXT NOT NULL DEFAULT '',
	version            INTEGER NOT NULL,
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL,
	deleted_at         TEXT
);
-- name_key is the folded name: unique among suppliers not in the trash.
CREATE UNIQUE INDEX suppliers_name_key ON suppliers (name_key) WHERE deleted_at IS NULL;
CREATE INDEX suppliers_name_idx ON suppliers (name, id);
CREATE INDEX suppliers_status_idx ON suppliers (status, name);

-- The services a supplier is behind, in display order, with what it
-- delivers for each.
CREATE TABLE supplier_services (
	supplier_id TEXT NOT NULL REFERENCES suppliers (id),
	service_id  TEXT NOT NULL REFERENCES services (id),
	note        TEXT NOT NULL DEFAULT '',
	position    INTEGER NOT NULL,
	PRIMARY KEY (supplier_id, service_id)
);
CREATE INDEX supplier_services_service_id_idx ON supplier_services (service_id);

-- An SLA result may be attributed to a supplier.
ALTER TABLE sla_results ADD COLUMN supplier_id TEXT REFERENCES suppliers (id);
CREATE INDEX sla_results_supplier_id_idx ON sla_results (supplier_id, period);
