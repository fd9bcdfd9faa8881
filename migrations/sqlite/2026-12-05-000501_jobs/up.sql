-- Durable background jobs: a row is written in the transaction of the change that
-- asks for the work, so the work exists exactly when the change commits. Workers
-- lease due rows (locked_until) and retry failures with back-off.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- At most one pending job per key (e.g. one sweep per offering).
    dedupe_key TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_due_idx ON jobs (status, run_at);
CREATE UNIQUE INDEX jobs_pending_key_idx ON jobs (dedupe_key) WHERE status = 'pending';

-- Files sent with a queued message (a certificate's PDF); they go with the row.
CREATE TABLE mail_attachments (
    id INTEGER PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES mail_outbox (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX mail_attachments_outbox_idx ON mail_attachments (outbox_id);
