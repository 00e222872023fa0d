-- The global search (docs/search.md): one row per searchable record, kept
-- by the store in the transaction of every audited write of the record
-- (search.go), and an FTS5 index over its folded words (liaison.SearchText:
-- lower case, no diacritics, each Han character a word), which the
-- unicode61 tokenizer splits on the spaces. Trashed records have no row.
-- rid is an INTEGER PRIMARY KEY so that VACUUM keeps the rowids the FTS
-- table refers to. The rows of existing records are written by Migrate.
CREATE TABLE search_entries (
	rid             INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL,
	id              TEXT NOT NULL,
	organisation_id TEXT NOT NULL DEFAULT '',
	title           TEXT NOT NULL,
	body            TEXT NOT NULL DEFAULT '',
	title_terms     TEXT NOT NULL,
	body_terms      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	UNIQUE (kind, id)
);

CREATE VIRTUAL TABLE search_fts USING fts5(
	title_terms, body_terms,
	content = 'search_entries', content_rowid = 'rid',
	tokenize = 'unicode61 remove_diacritics 0',
	prefix = '2 3'
);

-- A word of the title weighs four times one of the text.
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');

CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
	INSERT INTO search_fts (rowid, title_terms, body_terms) VALUES (new.rid, new.title_terms, new.body_terms);
END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
	INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms) VALUES ('delete', old.rid, old.title_terms, old.body_terms);
END;
CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
	INSERT INTO search_fts (search_fts, rowid, title_terms, body_terms) VALUES ('delete', old.rid, old.title_terms, old.body_terms);
	INSERT INTO search_fts (rowid, title_terms, body_terms) VALUES (new.rid, new.title_terms, new.body_terms);
END;
