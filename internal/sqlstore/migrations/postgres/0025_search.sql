-- The global search (docs/search.md): one row per searchable record, kept
-- by the store in the transaction of every audited write of the record
-- (search.go). The words are folded by liaison.SearchText (lower case, no
-- diacritics, each Han character a word), so the 'simple' configuration
-- only splits them; title words weigh A, the text's B. Trashed records
-- have no row. The rows of existing records are written by Migrate.
CREATE TABLE search_entries (
	kind            TEXT NOT NULL,
	id              TEXT NOT NULL,
	organisation_id TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL,
	body            TEXT NOT NULL DEFAULT '',
	title_terms     TEXT NOT NULL,
	body_terms      TEXT NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL,
	doc             tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')) STORED,
	PRIMARY KEY (kind, id)
);

CREATE INDEX search_entries_doc_idx ON search_entries USING GIN (doc);
