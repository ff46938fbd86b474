-- The whole audit trail filtered by user or action, newest first
-- (GET /api/audit; by case: audit_log_case).
CREATE INDEX audit_log_user ON audit_log (user_name, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
