-- When a person must step in (shared::wire::attention). The rules are data:
-- the defaults below (the same as shared::wire::attention::default_rules),
-- edited by admins. An entry is one rule one call's note record met; the
-- same record delivered again adds nothing.
CREATE TABLE attention_rules (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    severity   TEXT    NOT NULL, -- high | medium | low
    enabled    INTEGER NOT NULL,
    condition  TEXT    NOT NULL, -- JSON, shared::wire::attention::Condition
    position   INTEGER NOT NULL, -- the order rules are shown and evaluated in
    updated_by TEXT,
    updated_at INTEGER
);
INSERT INTO attention_rules (id, name, severity, enabled, condition, position) VALUES
    ('qa-total-low', '质检总分偏低', 'high', 1, '{"kind":"qa_total_below","percent":60}', 1),
    ('qa-item-low', '质检项得分过低', 'medium', 1, '{"kind":"qa_item_at_most","percent":40}', 2),
    ('agreement-refused', '当事人拒绝协议', 'high', 1, '{"kind":"tag","tag":"通话结果","values":["拒绝协议"]}', 3),
    ('agreement-unconfirmed', '协议未获确认', 'medium', 1, '{"kind":"tag","tag":"通话结果","values":["要求修改","未表态"]}', 4),
    ('not-paid', '当事人称未付款', 'high', 1, '{"kind":"tag","tag":"履约情况","values":["未支付"]}', 5),
    ('distress', '当事人情绪激动', 'medium', 1, '{"kind":"tag","tag":"当事人情绪","values":["激动"]}', 6),
    ('asks-for-person', '需要人工介入', 'high', 1, '{"kind":"tag","tag":"是否需人工介入","values":["是"]}', 7),
    ('call-limit', '当事人已达当日外呼上限', 'low', 1, '{"kind":"call_limit"}', 8);

CREATE TABLE attention_entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    source        TEXT    NOT NULL, -- what was judged: call_id|biz_id|type of a note record, or call-limit|<key>
    rule_id       TEXT    NOT NULL,
    rule_name     TEXT    NOT NULL, -- as it was named when it matched
    severity      TEXT    NOT NULL,
    severity_rank INTEGER NOT NULL, -- 0 high, 1 medium, 2 low
    job_id        TEXT,
    case_id       TEXT,             -- when known at the time; else search_calls says
    evidence      TEXT    NOT NULL, -- JSON, shared::wire::attention::Evidence
    created_at    INTEGER NOT NULL, -- ms since the epoch
    acked_by      TEXT,
    acked_at      INTEGER,
    ack_note      TEXT,
    UNIQUE (source, rule_id)
);
CREATE INDEX attention_open ON attention_entries (severity_rank, created_at) WHERE acked_at IS NULL;
CREATE INDEX attention_by_job ON attention_entries (job_id);
CREATE INDEX attention_by_case ON attention_entries (case_id);

-- Which mediator a supervisor gave a case to.
CREATE TABLE case_assignments (
    case_id     TEXT    PRIMARY KEY,
    assignee    TEXT    NOT NULL,
    assigned_by TEXT    NOT NULL,
    assigned_at INTEGER NOT NULL
);
CREATE INDEX case_assignments_by_assignee ON case_assignments (assignee);
