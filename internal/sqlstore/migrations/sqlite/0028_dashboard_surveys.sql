-- The dashboard counts survey responses (survey_csat, survey_nps): a
-- response, and a campaign trashed, restored or changed, moves the
-- generation like the tables of 0024. The cached facts, computed without
-- the survey figures, are dropped. postgres/0028_dashboard_surveys.sql is its twin.
CREATE TRIGGER dashboard_survey_responses_i AFTER INSERT ON survey_responses BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_survey_responses_u AFTER UPDATE ON survey_responses BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_survey_responses_d AFTER DELETE ON survey_responses BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_campaigns_u AFTER UPDATE OF deleted_at, anonymous, survey_id, survey_version ON campaigns BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
CREATE TRIGGER dashboard_campaigns_d AFTER DELETE ON campaigns BEGIN INSERT OR IGNORE INTO dashboard_generation (slot, n) VALUES (0, 0); UPDATE dashboard_generation SET n = n + 1 WHERE slot = 0; END;
DELETE FROM dashboard_cache;
