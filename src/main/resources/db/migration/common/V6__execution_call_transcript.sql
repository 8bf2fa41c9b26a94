-- Where each call's transcript came from, for the report's link to it (report.html): the local file as an absolute
-- path, or the transcript_url; and the format it was read as (a TranscriptFormat id), so the report can show it
-- without detecting it again. Null for calls without a transcript. Portable SQL (H2 and PostgreSQL).
ALTER TABLE execution_call ADD COLUMN transcript_ref VARCHAR(2100);
ALTER TABLE execution_call ADD COLUMN transcript_format VARCHAR(20);
