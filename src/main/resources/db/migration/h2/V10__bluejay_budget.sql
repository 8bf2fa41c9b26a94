-- The request budget of each Bluejay account (base URL + API key), shared by every process on this store
-- (docs/rate-budget.md). account_id is the hex SHA-256 of the normalised base URL, a newline and the API key: the key
-- itself is never stored. H2 and PostgreSQL differ only in the type of the bucket's state (VARBINARY / BYTEA).
--   bluejay_budget_bucket    Bucket4j's bucket state (serialised by Bucket4j), one row per account, locked with
--                            SELECT ... FOR UPDATE for each permit (dev.calleval.budget.H2BucketProxyManager here)
--   bluejay_budget_cooldown  until when the account's requests wait after a 429 with Retry-After (epoch ms, UTC)
--   bluejay_budget_member    the executions drawing on the account now: seen_at is renewed while they send
CREATE TABLE bluejay_budget_bucket (
    id    VARCHAR(64) PRIMARY KEY,
    state VARBINARY(4096)
);
CREATE TABLE bluejay_budget_cooldown (
    account_id VARCHAR(64) PRIMARY KEY,
    until_ms   BIGINT NOT NULL
);
CREATE TABLE bluejay_budget_member (
    account_id VARCHAR(64)  NOT NULL,
    member_id  VARCHAR(64)  NOT NULL,
    job_name   VARCHAR(200) NOT NULL,
    seen_at_ms BIGINT       NOT NULL,
    PRIMARY KEY (account_id, member_id)
);
