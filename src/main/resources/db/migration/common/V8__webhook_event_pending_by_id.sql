-- The inbox is read a page at a time: WHERE processed_at IS NULL AND event_type = ? AND id > ? in id order. With the
-- index on (processed_at, event_type) alone, H2 sorted every unprocessed event, bodies and all, for each page of 500:
-- a backlog of 1,000,000 events matched a few hundred a second (bench B4). With id as the index's last column, and
-- the query ordered by the index's columns, each page is a range read that stops after 500 rows.
DROP INDEX webhook_event_pending_ix;
CREATE INDEX webhook_event_pending_ix ON webhook_event (processed_at, event_type, id);
