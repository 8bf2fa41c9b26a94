-- ShedLock's lock table (net.javacrumbs.shedlock, JDBC provider): serve takes the lock 'schedule:<job>' before it
-- launches an occurrence of a job file's schedule, so that several serve replicas on one database fire each occurrence
-- once, and takes 'reconcile-poll' before a polling round, so that one replica polls per --poll-interval
-- (serve/ScheduleLock). lock_until and locked_at are the database's time (ShedLock's usingDbTime), so the
-- replicas' clocks do not have to agree. Portable SQL: the same migration runs on H2 and PostgreSQL.
CREATE TABLE shedlock (
    name       VARCHAR(300) NOT NULL,
    lock_until TIMESTAMP(3) NOT NULL,
    locked_at  TIMESTAMP(3) NOT NULL,
    locked_by  VARCHAR(255) NOT NULL,
    CONSTRAINT shedlock_pk PRIMARY KEY (name)
);
