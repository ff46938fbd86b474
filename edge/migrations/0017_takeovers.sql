-- A mediator's attention queue starts from their cases (edge/src/attention.rs,
-- MINE): those assigned to them and those they were the last to take over.
-- These find a mediator's takeovers and a case's latest takeover without
-- reading every takeover ever made (audit_log grows without bound).
CREATE INDEX audit_log_takeovers_by_user ON audit_log (user_name, id) WHERE action = 'takeover';
CREATE INDEX audit_log_takeovers_by_case ON audit_log (case_id, id) WHERE action = 'takeover';
