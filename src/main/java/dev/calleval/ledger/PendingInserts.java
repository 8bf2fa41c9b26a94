package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.calleval.database.Columns.truncate;

/**
 * The claim protocol's inserts ({@link Claims}): new rows PENDING, owned by the claiming execution, each batch or row in
 * a savepoint so that a unique-key violation (another run inserted the key first) rolls back only the savepoint.
 */
final class PendingInserts {
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate savepoint;
    private final ClaimTable table;
    private final String pendingState;

    /** @param savepoint a transaction template with propagation NESTED */
    PendingInserts(NamedParameterJdbcTemplate jdbc, TransactionTemplate savepoint, ClaimTable table) {
        this.jdbc = jdbc;
        this.savepoint = savepoint;
        this.table = table;
        this.pendingState = java.util.Objects.requireNonNull(table.stateIn(ClaimPhase.PENDING));
    }

    private String insertSql() {
        String keys = String.join(", ", table.keyColumns());
        String values = table.keyColumns().stream().map(c -> ":" + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table.name() + " (endpoint, " + keys + ", state, fingerprint, source_ref, job_name, job_execution_id,"
                + " created_at, updated_at) VALUES (:endpoint, " + values + ", '" + pendingState + "', :fp, :ref, :job, :exec, :now, :now)";
    }

    private MapSqlParameterSource pendingParams(long executionId, String jobName, BluejayEndpoint endpoint, Claims.Candidate c, Instant now) {
        return table.keyParams(c.key())
                .addValue("endpoint", endpoint.key())
                .addValue("fp", c.fingerprint())
                .addValue("ref", truncate(c.sourceRef(), 2000))
                .addValue("job", jobName)
                .addValue("exec", executionId)
                .addValue("now", Claims.utc(now));
    }

    /**
     * Inserts {@code candidates} (none of them in the table when it was read) as PENDING in one JDBC batch, in one
     * savepoint. When another run inserted one of them since (a unique-key violation), the savepoint is rolled back
     * and nothing is returned: the caller then claims each on its own, deciding on what the other run left.
     *
     * @return sort key ({@link Claims#sortKey}) → new row id, for all of {@code candidates}, or empty
     */
    Map<String, Long> insertPending(long executionId, String jobName, BluejayEndpoint endpoint, List<Claims.Candidate> candidates,
            Instant now) {
        if (candidates.isEmpty()) {
            return Map.of();
        }
        SqlParameterSource[] batch = candidates.stream().map(c -> pendingParams(executionId, jobName, endpoint, c, now))
                .toArray(SqlParameterSource[]::new);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        try {
            // in a savepoint: on PostgreSQL a unique violation would otherwise abort the whole chunk transaction
            savepoint.executeWithoutResult(status -> jdbc.batchUpdate(insertSql(), batch, keys, new String[] {"id"}));
        } catch (DataIntegrityViolationException raced) {
            return Map.of(); // another run inserted one of them since we looked: each is claimed on its own
        }
        List<Map<String, Object>> ids = keys.getKeyList();
        if (ids.size() != candidates.size()) {
            throw new IllegalStateException("inserted " + candidates.size() + " rows into " + table.name() + " but the database returned "
                    + ids.size() + " ids");
        }
        Map<String, Long> inserted = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            inserted.put(Claims.sortKey(candidates.get(i).key()), generatedId(ids.get(i)));
        }
        return inserted;
    }

    Optional<Long> insertPending(long executionId, String jobName, BluejayEndpoint endpoint, Claims.Candidate candidate, Instant now) {
        MapSqlParameterSource p = pendingParams(executionId, jobName, endpoint, candidate, now);
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        try {
            // in a savepoint: on PostgreSQL a unique violation would otherwise abort the whole chunk transaction
            savepoint.executeWithoutResult(status -> jdbc.update(insertSql(), p, keys, new String[] {"id"}));
        } catch (DuplicateKeyException raced) {
            return Optional.empty(); // another run inserted it since we looked: decide again on its row
        }
        return Optional.of(generatedId(keys.getKeys()));
    }

    /** The id among a row's generated keys (H2 names it ID, PostgreSQL id). */
    private static long generatedId(@Nullable Map<String, Object> keys) {
        if (keys == null) {
            throw new IllegalStateException("the database returned no generated id");
        }
        Object id = keys.size() == 1 ? keys.values().iterator().next() : keys.entrySet().stream()
                .filter(k -> k.getKey().equalsIgnoreCase("id")).map(Map.Entry::getValue).findFirst().orElse(null);
        if (!(id instanceof Number n)) {
            throw new IllegalStateException("no generated id among " + keys.keySet());
        }
        return n.longValue();
    }
}
