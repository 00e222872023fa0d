-- The dashboard's cache and its invalidation; see sqlite/0024_dashboard.sql,
-- its twin. Statement-level triggers: a bulk write bumps the generation once.
CREATE TABLE dashboard_generation (
	slot INTEGER PRIMARY KEY,
	n    BIGINT NOT NULL
);

CREATE TABLE dashboard_cache (
	scope       TEXT PRIMARY KEY,
	generation  BIGINT NOT NULL,
	day         TEXT NOT NULL,
	body        TEXT NOT NULL,
	computed_at TIMESTAMPTZ NOT NULL
);

CREATE FUNCTION dashboard_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO dashboard_generation (slot, n) VALUES (floor(random() * 16)::int, 1)
		ON CONFLICT (slot) DO UPDATE SET n = dashboard_generation.n + 1;
	RETURN NULL;
END
$$;

CREATE TRIGGER dashboard_organisations AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_people AFTER UPDATE OR DELETE OR TRUNCATE ON people FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_contact_roles AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contact_roles FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_agreements AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agreements FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_ticket_ratings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket_ratings FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_complaints AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON complaints FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_actions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON actions FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_meetings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON meetings FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_users AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_segments AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON segments FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
