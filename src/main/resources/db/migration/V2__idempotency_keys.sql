-- HTTP Idempotency-Keys (io.mailbus.http.IdempotencyKeys): one row per caller's key. The primary key is what makes
-- two concurrent requests with the same key exclusive (INSERT ... ON CONFLICT): only one of them queues. status and
-- response are null while the first request is still being queued, then hold the answer every repeat gets.
CREATE TABLE http_idempotency_keys (
    scoped_key  VARCHAR(300) PRIMARY KEY,
    body_sha256 BYTEA        NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    status      INTEGER,
    response    TEXT
);
CREATE INDEX http_idempotency_keys_created ON http_idempotency_keys (created_at);
