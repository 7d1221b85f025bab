-- Message status (GET /api/v1/messages/{id}): every status event of every request as published on email.events,
-- recorded by the status route (io.mailbus.status.StatusStore). The unique index makes a redelivered event a no-op
-- and serves the lookup by request id; recorded_at is indexed for the retention cleanup.
CREATE TABLE message_events (
    seq         BIGSERIAL    PRIMARY KEY,
    request_id  VARCHAR(128) NOT NULL,
    tenant      VARCHAR(64),
    event       VARCHAR(32)  NOT NULL,
    attempt     INTEGER      NOT NULL,
    at          TIMESTAMPTZ  NOT NULL,
    recorded_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    body        TEXT         NOT NULL
);
CREATE UNIQUE INDEX message_events_once ON message_events (request_id, at, event, attempt);
CREATE INDEX message_events_recorded ON message_events (recorded_at);

-- Who submitted a request over HTTP (its caller scope: API key digest, or tenant), written by the edge before the
-- request is queued; the first submitter of an id owns it. Bus requests have no row.
CREATE TABLE message_owners (
    request_id VARCHAR(128) PRIMARY KEY,
    owner      VARCHAR(80)  NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX message_owners_created ON message_owners (created_at);
