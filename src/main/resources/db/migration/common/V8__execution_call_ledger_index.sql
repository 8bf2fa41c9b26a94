-- The claim asks which of a chunk's ledger rows this execution has already read (a duplicate call_id in the input).
-- Keyed by ledger_id, that is a few index look-ups per chunk; by (job_execution_id, ...) alone it scanned every row
-- the execution had read so far, so a rerun or restart of a large manifest slowed with each chunk (bench B5).
CREATE INDEX execution_call_ledger ON execution_call (ledger_id);
