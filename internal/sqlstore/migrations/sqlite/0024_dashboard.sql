-- The dashboard (SPEC C14) keeps its computed facts in dashboard_cache,
-- valid while dashboard_generation has not moved and the day has not
-- turned. Every insert, update or delete of a table the facts read bumps
-- the generation in the same transaction (the triggers below), so a
-- change made by any instance, the bulk loader or a restore invalidates
-- the cache: the state is in the database, not in a process. The
-- generation is the sum of the slots' counts, which only grows, so facts
-- computed before a commit never match after it. On PostgreSQL a change
-- bumps a random one of 16 slots, so that concurrent writers seldom wait
-- for the same row; SQLite has one writer and uses slot 0. A slot's row
-- is made by its first bump: the tables start empty, as a restore wants
-- them, and both are derived state that backups leave out (backup.go).
-- postgres/0024_dashboard.sql is its twin.
CREATE TABLE dashboard_generation (
	slot INTEGER PRIMARY KEY,
	n    INTEGER NOT NULL
);

CREATE TABLE dashboard_cache (
	scope       TEXT PRIMARY KEY,
	generation  INTEGER NOT NULL,
	day         TEXT NOT NULL,
	body        TEXT NOT NULL,
	computed_at TEXT NOT NULL
);

CREATE TRIGGER dashboard_organisations_i AFTER INSERT ON organisations BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_organisations_u AFTER UPDATE ON organisations BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_organisations_d AFTER DELETE ON organisations BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_people_u AFTER UPDATE ON people BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_people_d AFTER DELETE ON people BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_contact_roles_i AFTER INSERT ON contact_roles BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_contact_roles_u AFTER UPDATE ON contact_roles BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_contact_roles_d AFTER DELETE ON contact_roles BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_agreements_i AFTER INSERT ON agreements BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_agreements_u AFTER UPDATE ON agreements BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_agreements_d AFTER DELETE ON agreements BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_ticket_ratings_i AFTER INSERT ON ticket_ratings BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_ticket_ratings_u AFTER UPDATE ON ticket_ratings BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_ticket_ratings_d AFTER DELETE ON ticket_ratings BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_complaints_i AFTER INSERT ON complaints BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_complaints_u AFTER UPDATE ON complaints BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_complaints_d AFTER DELETE ON complaints BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_actions_i AFTER INSERT ON actions BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_actions_u AFTER UPDATE ON actions BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_actions_d AFTER DELETE ON actions BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_meetings_i AFTER INSERT ON meetings BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_meetings_u AFTER UPDATE ON meetings BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_meetings_d AFTER DELETE ON meetings BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_users_i AFTER INSERT ON users BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_users_u AFTER UPDATE OF name ON users BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_segments_i AFTER INSERT ON segments BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_segments_u AFTER UPDATE ON segments BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_segments_d AFTER DELETE ON segments BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
