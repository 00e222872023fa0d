-- The dashboard (SPEC C14) keeps its computed facts in dashboard_cache,
-- valid while dashboard_generation has not moved and the day has not
-- turned. Every insert, update or delete of a table the facts read bumps
-- the generation in the same transaction (the triggers below), so a
-- change made by any instance, the bulk loader or a restore invalidates
-- the cache: the state is in the database, not in a process. The
-- generation is the sum of 16 slots, each change bumping a random one, so
-- that on PostgreSQL concurrent writers seldom wait for the same row; the
-- sum only grows, so facts computed before a commit never match after it.
-- postgres/0024_dashboard.sql is its twin.
CREATE TABLE dashboard_generation (
	slot INTEGER PRIMARY KEY,
	n    INTEGER NOT NULL
);
WITH RECURSIVE s (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 15)
INSERT INTO dashboard_generation (slot, n) SELECT i, 0 FROM s;

CREATE TABLE dashboard_cache (
	scope       TEXT PRIMARY KEY,
	generation  INTEGER NOT NULL,
	day         TEXT NOT NULL,
	body        TEXT NOT NULL,
	computed_at TEXT NOT NULL
);

CREATE TRIGGER dashboard_organisations_i AFTER INSERT ON organisations BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_organisations_u AFTER UPDATE ON organisations BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_organisations_d AFTER DELETE ON organisations BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_people_u AFTER UPDATE ON people BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_people_d AFTER DELETE ON people BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_contact_roles_i AFTER INSERT ON contact_roles BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_contact_roles_u AFTER UPDATE ON contact_roles BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_contact_roles_d AFTER DELETE ON contact_roles BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_agreements_i AFTER INSERT ON agreements BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_agreements_u AFTER UPDATE ON agreements BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_agreements_d AFTER DELETE ON agreements BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_ticket_ratings_i AFTER INSERT ON ticket_ratings BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_ticket_ratings_u AFTER UPDATE ON ticket_ratings BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_ticket_ratings_d AFTER DELETE ON ticket_ratings BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_complaints_i AFTER INSERT ON complaints BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_complaints_u AFTER UPDATE ON complaints BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_complaints_d AFTER DELETE ON complaints BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_actions_i AFTER INSERT ON actions BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_actions_u AFTER UPDATE ON actions BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_actions_d AFTER DELETE ON actions BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_meetings_i AFTER INSERT ON meetings BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_meetings_u AFTER UPDATE ON meetings BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_meetings_d AFTER DELETE ON meetings BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_users_i AFTER INSERT ON users BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_users_u AFTER UPDATE OF name ON users BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_segments_i AFTER INSERT ON segments BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_segments_u AFTER UPDATE ON segments BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
CREATE TRIGGER dashboard_segments_d AFTER DELETE ON segments BEGIN UPDATE dashboard_generation SET n = n + 1 WHERE slot = abs(random()) % 16; END;
