-- calleval export reads an execution's calls in input order (line, then ledger id) as a stream. With only the primary
-- key (job_execution_id, ledger_id) the database sorted every call of the execution, evaluations and all, before the
-- first row: H2 held the sorted result on the heap (a 100,000-call export reached the 256 MB heap of bench B3). With
-- this index the rows come in index order and H2 streams them (lazy query execution). Portable SQL (H2, PostgreSQL).
CREATE INDEX execution_call_line_ix ON execution_call (job_execution_id, line, ledger_id);
