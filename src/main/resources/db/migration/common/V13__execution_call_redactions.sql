-- What redaction replaced in each call's request before it was sent, per type ('email=1;phone=2'; '' when redaction
-- was on and found nothing; null when the job did not redact), for calls.csv and report.html. Counts only: the
-- replaced values are never stored. Portable SQL (H2 and PostgreSQL).
ALTER TABLE execution_call ADD COLUMN redactions VARCHAR(1000);
