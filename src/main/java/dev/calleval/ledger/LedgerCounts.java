package dev.calleval.ledger;

import java.sql.ResultSet;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Counts of the calls ledger for the metrics gauges ({@code monitoring/LedgerMetrics}). Thread-safe. */
@Repository
public class LedgerCounts {
    private final NamedParameterJdbcTemplate jdbc;

    /** Counts read with {@code jdbc}. */
    public LedgerCounts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * How many calls of all jobs are in each of {@code states} now (for the metrics gauges). One scan of the ledger;
     * callers cache it.
     *
     * @return state → count, with 0 for a state no call is in
     */
    public Map<LedgerState, Long> countByState(Collection<LedgerState> states) {
        Map<LedgerState, Long> counts = new EnumMap<>(LedgerState.class);
        states.forEach(state -> counts.put(state, 0L));
        jdbc.query("SELECT state, COUNT(*) AS n FROM call_ledger WHERE state IN (:states) GROUP BY state",
                Map.of("states", states.stream().map(Enum::name).toList()),
                (ResultSet rs) -> { counts.put(LedgerState.valueOf(rs.getString("state")), rs.getLong("n")); });
        return counts;
    }
}
