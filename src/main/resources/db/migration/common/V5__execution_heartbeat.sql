-- Liveness of job executions: a running execution updates beat_at every few seconds (calleval.heartbeat.interval);
-- one whose beat is older than calleval.heartbeat.timeout, or whose process is gone from this machine, is dead.
-- A killed process leaves its Spring Batch execution STARTED forever; this table tells a live one from a dead one,
-- so that another run leaves the calls a live execution is sending alone, and re-claims those of a dead one.
-- Times come from the database's clock (CURRENT_TIMESTAMP), never the hosts'. Portable SQL for H2 and PostgreSQL.
CREATE TABLE execution_heartbeat (
    job_execution_id BIGINT        NOT NULL PRIMARY KEY,
    job_name         VARCHAR(200)  NOT NULL,
    source_key       VARCHAR(64),
    host             VARCHAR(255)  NOT NULL,
    pid              BIGINT        NOT NULL,
    process_key      VARCHAR(400),
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    beat_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE
);
CREATE INDEX execution_heartbeat_source_ix ON execution_heartbeat (job_name, source_key);

-- One row per (job, source) ever started, locked (SELECT ... FOR UPDATE) while an execution starts, so that of two
-- executions of the same job over the same source starting at the same moment only one runs. source_key: the
-- SHA-256 (hex) of the source job parameter.
CREATE TABLE job_source_guard (
    job_name   VARCHAR(200) NOT NULL,
    source_key VARCHAR(64)  NOT NULL,
    CONSTRAINT job_source_guard_pk PRIMARY KEY (job_name, source_key)
);

-- For a call left to another execution (disposition RUNNING_ELSEWHERE): the execution that owned it then.
ALTER TABLE execution_call ADD COLUMN owner_execution_id BIGINT;
