package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.execution.ExecutionLiveness;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.calleval.database.Columns.truncate;

/**
 * The claim protocol of calleval's ledgers, for any table described by a {@link ClaimTable}: the calls ledger
 * ({@code call_ledger}, {@link Ledger}) and the simulation updates ledger ({@code simulation_update}). Each row is one
 * thing to send exactly once to one Bluejay endpoint; a job execution claims it, sends it, and records the outcome.
 *
 * <ul>
 *   <li><b>Claim</b> ({@link #claim}): a key not in the table is inserted PENDING, owned by the execution; the new rows
 *       of a chunk go in one JDBC batch in key order, in a savepoint, so that losing a race to another run (a unique-key
 *       violation) rolls back only the savepoint (on PostgreSQL it would abort the chunk's transaction), after which
 *       each is claimed on its own. Two runs never both claim a row.</li>
 *   <li><b>Reclaim rounds</b>: an existing row is taken over by a conditional update on the state, owner and fingerprint
 *       read, in key order (so two chunk transactions never wait on each other in a cycle). A FAILED row is claimed
 *       again, a REJECTED one when its fingerprint changed, a DONE one never. A PENDING or in-doubt row of another
 *       execution that is still alive ({@link LiveOwners}) is left to it. A PENDING row of a dead execution is in doubt
 *       (see {@link ClaimTable#resendFoundPending}); a row in doubt is claimed again only when the run is told to
 *       resend ({@code resendInDoubt}). When another run changed the row first, it is read again and decided
 *       again, at most {@value #MAX_ROUNDS} times.</li>
 *   <li><b>Outcome</b> ({@link ClaimOutcomes}): written only by the execution that owns the row, and
 *       only over PENDING or in doubt, so a slow request's outcome is never lost to a later run's verdict and a late
 *       outcome never overwrites a later claim.</li>
 *   <li><b>In doubt</b> ({@link ClaimOutcomes#markInDoubt}): an ambiguous failure; the row is claimed again only by a run that is
 *       told to resend ({@code resendInDoubt}; the evaluate job always is, and looks the call up at Bluejay first when
 *       it can).</li>
 * </ul>
 *
 * <p>Methods join the caller's transaction (the evaluate job's writer opens one per chunk; the enrich job's is the
 * chunk transaction); the claim needs one for its savepoint. Thread-safe.
 */
public final class Claims {
    /** How often one row is read again after other runs changed it, before the claim gives up. */
    static final int MAX_ROUNDS = 5;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final ClaimTable table;
    private final LiveOwners liveOwners;
    private final String pendingState;
    private final RowMapper<Row> rowMapper;
    private final PendingInserts inserts;

    /**
     * Which job executions are still running: a PENDING row they own is theirs to finish.
     */
    @FunctionalInterface
    public interface LiveOwners {
        /** No execution counts as alive: every PENDING row found is in doubt. */
        LiveOwners NONE = executionIds -> Set.of();

        /** The ids among {@code executionIds} of executions still running. */
        Set<Long> alive(Collection<Long> executionIds);

        /** The executions whose heartbeat is fresh ({@link ExecutionLiveness#alive}). */
        static LiveOwners of(ExecutionLiveness liveness) {
            return executionIds -> liveness.alive(executionIds).keySet();
        }
    }

    /**
     * @param table the table and what differs in it
     * @param liveOwners which owners of PENDING rows are alive ({@link LiveOwners#NONE}: a PENDING row is in doubt
     *     whoever owns it)
     */
    public Claims(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager, Clock clock, ClaimTable table,
            LiveOwners liveOwners) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.table = table;
        this.liveOwners = liveOwners;
        TransactionTemplate savepoint = new TransactionTemplate(transactionManager);
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.inserts = new PendingInserts(jdbc, savepoint, table);
        this.pendingState = java.util.Objects.requireNonNull(table.stateIn(ClaimPhase.PENDING));
        this.rowMapper = (rs, n) -> {
            String state = rs.getString("state");
            ClaimPhase statePhase = table.phaseOf(state);
            List<String> key = new ArrayList<>();
            for (String column : table.keyColumns()) {
                key.add(rs.getString(column));
            }
            boolean inDoubt = table.inDoubtColumn() != null ? rs.getBoolean(table.inDoubtColumn()) : statePhase == ClaimPhase.IN_DOUBT;
            ClaimPhase phase = statePhase == ClaimPhase.PENDING && inDoubt ? ClaimPhase.IN_DOUBT : statePhase;
            return new Row(rs.getLong("id"), List.copyOf(key), state, phase, rs.getString("fingerprint"),
                    rs.getObject("job_execution_id", Long.class), inDoubt, instant(rs, "updated_at"));
        };
    }

    /** The table this protocol runs on. */
    public ClaimTable table() {
        return table;
    }

    /**
     * One row as the protocol sees it.
     *
     * @param key the key column values, in {@link ClaimTable#keyColumns} order
     * @param state the {@code state} column as read
     * @param phase its phase: the state's, except that a PENDING row with its in-doubt column set is
     *     {@link ClaimPhase#IN_DOUBT}
     * @param owner the execution that last claimed it
     * @param inDoubt in doubt: its in-doubt column is set, or its state is in doubt
     */
    public record Row(long id, List<String> key, String state, ClaimPhase phase, @Nullable String fingerprint, @Nullable Long owner,
            boolean inDoubt, @Nullable Instant updatedAt) {}

    /**
     * One thing to claim.
     *
     * @param key the key column values, in {@link ClaimTable#keyColumns} order
     * @param fingerprint what the input was (a changed input of a REJECTED row is claimed again)
     * @param sourceRef where it was read, e.g. {@code manifest.csv:12} (stored truncated to 2,000 characters)
     * @param description how messages name it, e.g. {@code call 716978 (manifest.csv:12)}
     */
    public record Candidate(List<String> key, String fingerprint, String sourceRef, String description) {
        public Candidate {
            key = List.copyOf(key);
        }
    }

    /** What the protocol decided for one candidate. */
    public enum Verdict {
        /** New, FAILED, or REJECTED with a changed input: claimed by this execution, to send now. */
        CLAIMED,
        /** In doubt (left PENDING by a dead execution, or marked in doubt) and claimed again: send, possibly a duplicate. */
        RESENT_IN_DOUBT,
        /** Done before with the same input: not sent. */
        DONE,
        /** Done before with another input: not sent (a second send would duplicate it). */
        DONE_CHANGED,
        /** Refused before and the input is unchanged: not sent. */
        REJECTED_UNCHANGED,
        /** PENDING or in doubt, owned by another execution still alive: left to it. */
        RUNNING_ELSEWHERE,
        /** In doubt and the run is not told to resend: not sent. */
        LEFT_IN_DOUBT,
        /** Found PENDING of an execution that stopped: marked in doubt now, not sent. */
        FOUND_PENDING
    }

    /**
     * The protocol's decision for one candidate.
     *
     * @param rowId the row's id
     * @param owner for {@link Verdict#RUNNING_ELSEWHERE}: the live execution it was left to
     * @param lastAttemptAt for {@link Verdict#RESENT_IN_DOUBT}: when the row was last touched
     */
    public record Decision(long rowId, Verdict verdict, @Nullable Long owner, @Nullable Instant lastAttemptAt) {
        Decision(long rowId, Verdict verdict) {
            this(rowId, verdict, null, null);
        }
    }

    /**
     * The rows at {@code endpoint} with one of {@code keys} (one query; a chunk's keys).
     *
     * @return key → row, for the keys found
     */
    public Map<List<String>, Row> find(BluejayEndpoint endpoint, Collection<List<String>> keys) {
        Map<List<String>, Row> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        int last = table.keyColumns().size() - 1;
        List<String> lookup = keys.stream().map(k -> k.get(last)).distinct().toList();
        jdbc.query("SELECT * FROM " + table.name() + " WHERE " + table.keyColumns().get(last) + " IN (:ids) AND endpoint = :endpoint",
                Map.of("ids", lookup, "endpoint", endpoint.key()), (ResultSet rs) -> {
                    Row row = rowMapper.mapRow(rs, 0);
                    found.put(row.key(), row);
                });
        return found;
    }

    /** The row of one key at {@code endpoint}. */
    public Optional<Row> find(BluejayEndpoint endpoint, List<String> key) {
        MapSqlParameterSource p = table.keyParams(key).addValue("endpoint", endpoint.key());
        String where = table.keyColumns().stream().map(c -> c + " = :" + c).collect(Collectors.joining(" AND "));
        return jdbc.query("SELECT * FROM " + table.name() + " WHERE endpoint = :endpoint AND " + where, p, rowMapper).stream().findFirst();
    }

    /**
     * Claims {@code candidates} for {@code executionId}, to be sent to {@code endpoint}, deciding for each on its row in
     * {@code existing} (what {@link #find(BluejayEndpoint, Collection)} read; a row changed since is read again).
     *
     * @param candidates distinct keys
     * @param resendInDoubt claim rows in doubt ({@link ClaimPhase#IN_DOUBT}) of executions no longer alive again
     * @return one decision per candidate, in the order of {@code candidates}
     * @throws IllegalArgumentException when two candidates have the same key
     * @throws IllegalStateException when a row changed under other runs {@value #MAX_ROUNDS} times in a row (the chunk
     *     rolls back; running the job again resumes)
     */
    public List<Decision> claim(long executionId, String jobName, BluejayEndpoint endpoint, List<Candidate> candidates,
            Map<List<String>, Row> existing, boolean resendInDoubt) {
        // sorted by key: every chunk transaction takes its row locks in the same order, so none waits on another in a cycle
        TreeMap<String, Candidate> byKey = new TreeMap<>();
        for (Candidate c : candidates) {
            if (byKey.put(sortKey(c.key()), c) != null) {
                throw new IllegalArgumentException("two candidates with the key " + c.key() + ": de-duplicate a chunk before claiming it");
            }
        }
        List<Long> owners = existing.values().stream()
                .filter(r -> (r.phase() == ClaimPhase.PENDING || r.phase() == ClaimPhase.IN_DOUBT) && r.owner() != null)
                .map(Row::owner).filter(o -> o != executionId).distinct().toList();
        Set<Long> live = liveOwners.alive(owners);
        Map<Long, Boolean> ownerAlive = new HashMap<>();
        owners.forEach(o -> ownerAlive.put(o, live.contains(o)));

        Instant now = clock.instant();
        // the rows new to the table in one batch (the common case), the others one by one
        Map<String, Long> inserted = inserts.insertPending(executionId, jobName, endpoint,
                byKey.values().stream().filter(c -> !existing.containsKey(c.key())).toList(), now);
        Map<String, Decision> decisions = new HashMap<>();
        for (Map.Entry<String, Candidate> e : byKey.entrySet()) {
            Long id = inserted.get(e.getKey());
            decisions.put(e.getKey(), id != null ? new Decision(id, Verdict.CLAIMED)
                    : decide(executionId, jobName, endpoint, e.getValue(), existing.get(e.getValue().key()), ownerAlive, resendInDoubt, now));
        }
        return candidates.stream().map(c -> decisions.get(sortKey(c.key()))).toList();
    }

    /** Decides for one candidate; reads its row again whenever another run changed it first. */
    private Decision decide(long executionId, String jobName, BluejayEndpoint endpoint, Candidate candidate, @Nullable Row row,
            Map<Long, Boolean> ownerAlive, boolean resendInDoubt, Instant now) {
        Row current = row;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Verdict verdict = verdict(executionId, candidate, current,
                    owner -> ownerAlive.computeIfAbsent(owner, o -> !liveOwners.alive(List.of(o)).isEmpty()), resendInDoubt);
            if (current == null) {
                Optional<Long> id = inserts.insertPending(executionId, jobName, endpoint, candidate, now);
                if (id.isPresent()) {
                    return new Decision(id.get(), Verdict.CLAIMED);
                }
            } else {
                switch (verdict) {
                    case DONE, DONE_CHANGED, REJECTED_UNCHANGED, LEFT_IN_DOUBT -> {
                        return new Decision(current.id(), verdict);
                    }
                    case RUNNING_ELSEWHERE -> {
                        return new Decision(current.id(), verdict, current.owner(), null);
                    }
                    case CLAIMED -> {
                        if (reclaim(current, executionId, jobName, candidate, false, now)) {
                            return new Decision(current.id(), verdict);
                        }
                    }
                    case RESENT_IN_DOUBT -> {
                        if (reclaim(current, executionId, jobName, candidate, true, now)) {
                            return new Decision(current.id(), verdict, null, current.updatedAt());
                        }
                    }
                    case FOUND_PENDING -> {
                        if (markFoundInDoubt(current, now)) {
                            return new Decision(current.id(), verdict);
                        }
                    }
                }
            }
            current = find(endpoint, candidate.key()).orElse(null);
        }
        throw new IllegalStateException(candidate.description() + " kept changing under other runs; run the job again");
    }

    /**
     * The protocol's rule, without writing: what {@link #claim} decides for {@code candidate} on its row as read.
     * {@link Verdict#CLAIMED} for a row not in the table.
     *
     * @param executionId the claiming execution; {@link #NO_EXECUTION} for a preview
     * @param alive whether the execution that owns a PENDING or in-doubt row is still running
     */
    private Verdict verdict(long executionId, Candidate candidate, @Nullable Row row, java.util.function.Predicate<Long> alive,
            boolean resendInDoubt) {
        if (row == null) {
            return Verdict.CLAIMED;
        }
        boolean sameInput = candidate.fingerprint().equals(row.fingerprint());
        return switch (row.phase()) {
            case DONE -> sameInput ? Verdict.DONE : Verdict.DONE_CHANGED;
            case REJECTED -> sameInput ? Verdict.REJECTED_UNCHANGED : Verdict.CLAIMED;
            case FAILED -> Verdict.CLAIMED;
            case PENDING, IN_DOUBT -> {
                Long owner = row.owner();
                if (owner != null && owner != executionId && alive.test(owner)) {
                    yield Verdict.RUNNING_ELSEWHERE;
                }
                if (row.phase() == ClaimPhase.IN_DOUBT) {
                    yield resendInDoubt ? Verdict.RESENT_IN_DOUBT : Verdict.LEFT_IN_DOUBT;
                }
                yield table.resendFoundPending() ? Verdict.RESENT_IN_DOUBT : Verdict.FOUND_PENDING;
            }
        };
    }

    /** The execution id of a {@link #preview}: no execution owns anything. */
    public static final long NO_EXECUTION = -1;

    /**
     * What {@link #claim} would decide for each of {@code candidates} now, reading the rows at {@code endpoint} (one
     * query) and which of their owners are alive, and writing nothing: a plan ({@code run --dry-run}). A candidate that
     * {@link #claim} would insert is {@link Verdict#CLAIMED}; one it would mark found in doubt is
     * {@link Verdict#FOUND_PENDING}.
     *
     * @param candidates distinct keys
     * @param resendInDoubt as for {@link #claim}
     * @return one verdict per candidate, in the order of {@code candidates}
     */
    public List<Verdict> preview(BluejayEndpoint endpoint, List<Candidate> candidates, boolean resendInDoubt) {
        Map<List<String>, Row> existing = find(endpoint, candidates.stream().map(Candidate::key).toList());
        Set<Long> live = liveOwners.alive(existing.values().stream()
                .filter(r -> (r.phase() == ClaimPhase.PENDING || r.phase() == ClaimPhase.IN_DOUBT) && r.owner() != null)
                .map(Row::owner).distinct().toList());
        return candidates.stream().map(c -> verdict(NO_EXECUTION, c, existing.get(c.key()), live::contains, resendInDoubt)).toList();
    }

    /**
     * Takes the row over if it is still in the state, with the owner and the fingerprint, that this run read.
     *
     * @param inDoubt the row is in doubt (a found PENDING row or one marked in doubt): the in-doubt column stays set
     */
    private boolean reclaim(Row row, long executionId, String jobName, Candidate candidate, boolean inDoubt, Instant now) {
        StringBuilder set = new StringBuilder("state = '" + pendingState + "', fingerprint = :fp, source_ref = :ref, job_name = :job,"
                + " job_execution_id = :exec, updated_at = :now");
        if (table.inDoubtColumn() != null) {
            set.append(", ").append(table.inDoubtColumn()).append(" = :doubt");
        }
        table.clearedOnReclaim().forEach(c -> set.append(", ").append(c).append(" = NULL"));
        return jdbc.update("UPDATE " + table.name() + " SET " + set + " WHERE id = :id AND state = :state"
                + " AND COALESCE(job_execution_id, -1) = :owner AND COALESCE(fingerprint, '') = :oldFp",
                new MapSqlParameterSource()
                        .addValue("fp", candidate.fingerprint())
                        .addValue("ref", truncate(candidate.sourceRef(), 2000))
                        .addValue("job", jobName)
                        .addValue("exec", executionId)
                        .addValue("doubt", inDoubt || row.inDoubt())
                        .addValue("now", utc(now))
                        .addValue("id", row.id())
                        .addValue("state", row.state())
                        .addValue("owner", row.owner() == null ? -1L : row.owner())
                        .addValue("oldFp", row.fingerprint() == null ? "" : row.fingerprint())) == 1;
    }

    /** Marks a PENDING row of a stopped execution in doubt, if it still is PENDING with that owner. */
    private boolean markFoundInDoubt(Row row, Instant now) {
        return jdbc.update("UPDATE " + table.name() + " SET " + table.inDoubtSet() + ", last_error = :error, updated_at = :now"
                + " WHERE id = :id AND state = '" + pendingState + "' AND COALESCE(job_execution_id, -1) = :owner",
                new MapSqlParameterSource()
                        .addValue("id", row.id())
                        .addValue("owner", row.owner() == null ? -1L : row.owner())
                        .addValue("now", utc(now))
                        .addValue("error", table.foundPendingError().formatted(row.owner()))) == 1;
    }

    static String sortKey(List<String> key) {
        return String.join("\u0000", key);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
