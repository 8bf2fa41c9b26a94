-- Ledger entries belong to the Bluejay endpoint that accepted them (docs/ledger.md): a call accepted by the sandbox
-- (`--sandbox`) is never counted done for the real API, and an update-simulation-result posted to the sandbox is never
-- counted posted there. The key of a call becomes (endpoint, agent_key, source_id), that of an update
-- (endpoint, simulation_result_id). endpoint: 'sandbox' for the sandbox `--sandbox` embeds, else the normalised base
-- URL (lower-case scheme and host, no default port, no trailing slash; never a key): dev.calleval.bluejay.BluejayEndpoint.
--
-- Upgrade: rows written before this version did not record where they were sent. They are taken to have gone to the
-- real API at its default base URL, https://api.getbluejay.ai (what BLUEJAY_BASE_URL defaults to); rows made with
-- --sandbox before this version cannot be told apart from them (no column says where a call went). An installation
-- that sent to another BLUEJAY_BASE_URL moves its rows with one UPDATE (docs/ledger.md "Upgrading"). The default is
-- dropped after the backfill: every new row names its endpoint. Portable SQL: the same migration runs on H2 and
-- PostgreSQL.
ALTER TABLE call_ledger ADD COLUMN endpoint VARCHAR(300) DEFAULT 'https://api.getbluejay.ai' NOT NULL;
ALTER TABLE call_ledger ALTER COLUMN endpoint DROP DEFAULT;
ALTER TABLE call_ledger DROP CONSTRAINT call_ledger_source_uk;
ALTER TABLE call_ledger ADD CONSTRAINT call_ledger_source_uk UNIQUE (endpoint, agent_key, source_id);

ALTER TABLE simulation_update ADD COLUMN endpoint VARCHAR(300) DEFAULT 'https://api.getbluejay.ai' NOT NULL;
ALTER TABLE simulation_update ALTER COLUMN endpoint DROP DEFAULT;
ALTER TABLE simulation_update DROP CONSTRAINT simulation_update_result_uk;
ALTER TABLE simulation_update ADD CONSTRAINT simulation_update_result_uk UNIQUE (endpoint, simulation_result_id);
