-- What export and compare need of each call beyond the key figures: the label and metadata it was sent with (after
-- any redaction: exactly what Bluejay received) and Bluejay's newest evaluation as received (JSON).
ALTER TABLE call_ledger ADD COLUMN label VARCHAR(200);
ALTER TABLE call_ledger ADD COLUMN metadata TEXT;
ALTER TABLE call_ledger ADD COLUMN evaluation TEXT;
