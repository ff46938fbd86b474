-- An idempotency key belongs to one request: reusing it for a different
-- body is refused rather than answered with the first request's result.
ALTER TABLE idempotency ADD COLUMN request_hash TEXT;

-- Which board user owns which Clink Q&A conversation, so one mediator cannot
-- read, rename or delete another's.
CREATE TABLE clink_conversations (
    conversation_id TEXT    PRIMARY KEY,
    user_name       TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
