-- The dashboard counts survey responses; see sqlite/0028_dashboard_surveys.sql, its twin.
CREATE TRIGGER dashboard_survey_responses AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON survey_responses FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_campaigns_u AFTER UPDATE OF deleted_at, anonymous, survey_id, survey_version ON campaigns FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
CREATE TRIGGER dashboard_campaigns_d AFTER DELETE OR TRUNCATE ON campaigns FOR EACH STATEMENT EXECUTE FUNCTION dashboard_bump();
DELETE FROM dashboard_cache;
