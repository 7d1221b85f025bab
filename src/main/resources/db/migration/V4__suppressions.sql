-- Suppression lists (issue 14): an address that bounced for good (5.1.1, 5.1.10, 5.2.1 and the like) is not mailed
-- again by its tenant until it is deleted (DELETE /api/v1/suppressions/{address}). scope is the tenant id, '' when
-- tenants are not configured. Addresses are kept lower-cased; the primary key serves the per-message lookup and the
-- paged list (keyset on address).
CREATE TABLE suppressions (
    scope         VARCHAR(80)  NOT NULL,
    address       VARCHAR(320) NOT NULL,
    reason        VARCHAR(32)  NOT NULL,
    smtp_code     INTEGER,
    enhanced_code VARCHAR(16),
    smtp_text     TEXT,
    request_id    VARCHAR(128),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, address)
);
