-- Indexes for list pages at dataset L.

-- Every list page with an account filter reads the accounts' ids and names
-- in name order: this partial index covers that query, so it reads 600
-- index entries instead of scanning 2,000 units and sorting.
CREATE INDEX organisations_account_names_idx ON organisations (name, id) WHERE budget_holder = TRUE AND deleted_at IS NULL;

-- The trash is small: counting what lies in it (a service's usages by
-- trashed units) starts here.
CREATE INDEX organisations_trashed_idx ON organisations (deleted_at) WHERE deleted_at IS NOT NULL;
