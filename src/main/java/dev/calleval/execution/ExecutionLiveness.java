package dev.calleval.execution;

import dev.calleval.ledger.Ledger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.calleval.database.Columns.truncate;

/**
 * Tells a job execution that is still running from one whose process died. Spring Batch cannot: a process killed
 * with {@code kill -9} (or a machine that lost power) leaves its execution STARTED forever.
 *
 * <p>A running execution has a row in {@code execution_heartbeat} (its host, pid and process identity) whose
 * {@code beat_at} this process updates every {@code calleval.heartbeat.interval} (default 5s) until the execution
 * ends. An execution is <b>alive</b> when its row exists, has not ended, and either
 * <ul>
 *   <li>it runs in this JVM and has not ended; or</li>
 *   <li>it runs on this machine in the same PID namespace (Linux: same host name, boot id and
 *       {@code /proc/self/ns/pid}) and its process still exists (same pid and start time) — so a run started right
 *       after a {@code kill -9} knows at once that the killed one is dead; or</li>
 *   <li>its last beat is at most {@code calleval.heartbeat.timeout} (default 30s) old by the database's clock.</li>
 * </ul>
 * An execution with no row (one from before this table existed) is not alive. All times come from the database
 * ({@code CURRENT_TIMESTAMP}), so hosts whose clocks disagree still agree on liveness. Thread-safe.
 */
@Component
public class ExecutionLiveness implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ExecutionLiveness.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final TransactionTemplate nested;
    private final Duration interval;
    private final Duration timeout;
    private final ProcessIdentity self = ProcessIdentity.current();
    private final Set<Long> beating = ConcurrentHashMap.newKeySet();
    private @Nullable ScheduledExecutorService scheduler;
    private volatile boolean beatFailing;

    /** @param settings {@code calleval.heartbeat.*} */
    @Autowired
    ExecutionLiveness(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager, HeartbeatSettings settings) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.nested = new TransactionTemplate(transactionManager);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.interval = settings.interval();
        this.timeout = settings.timeout();
    }

    /**
     * @param interval how often a running execution's heartbeat is written
     * @param timeout how old a heartbeat may be before its execution counts as dead (when its process cannot be
     *     checked directly); must be longer than {@code interval}
     * @throws IllegalArgumentException when the interval is not positive or the timeout not longer than it ({@link HeartbeatSettings})
     */
    public ExecutionLiveness(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            Duration interval, Duration timeout) {
        this(jdbc, transactionManager, new HeartbeatSettings(interval, timeout));
    }

    /** How old a heartbeat may be before its execution counts as dead ({@code calleval.heartbeat.timeout}). */
    public Duration timeout() {
        return timeout;
    }

    /**
     * What the heartbeat table says about one execution.
     *
     * @param host the host name it runs on
     * @param pid its process id there
     * @param startedAt when it started (database clock)
     * @param beatAt its last heartbeat (database clock)
     * @param endedAt when it ended, or null
     * @param age how long ago its last heartbeat was, by the database's clock
     * @param alive see the class description
     */
    public record Heartbeat(long executionId, String jobName, String host, long pid, Instant startedAt, Instant beatAt,
            @Nullable Instant endedAt, Duration age, boolean alive) {

        /** For messages: {@code host web-1, pid 4242, last heartbeat 3s ago}. */
        public String describe() {
            return "host " + host + ", pid " + pid + ", last heartbeat " + age.toSeconds() + "s ago";
        }
    }

    /**
     * Starts the heartbeat of an execution running in this process, unless another execution of the same job over the
     * same source is alive: writes its row (in its own transaction, so that others see it at once) and keeps it
     * fresh until {@link #ended}. The check and the write happen under a lock on the (job, source) pair, so of two
     * executions starting at the same moment only one starts.
     *
     * @param source the execution's source (its {@code source} job parameter); null: no overlap check
     * @return empty when started; else the live execution it overlaps (nothing was written)
     */
    public Optional<Heartbeat> started(long executionId, String jobName, @Nullable String source) {
        String job = truncate(jobName, 200);
        String sourceKey = source == null ? null : sha256(source);
        Optional<Heartbeat> running = ownTransaction.execute(status -> {
            if (sourceKey != null) {
                Map<String, Object> guard = Map.of("job", job, "key", sourceKey);
                if (jdbc.queryForList("SELECT job_name FROM job_source_guard WHERE job_name = :job AND source_key = :key FOR UPDATE", guard).isEmpty()) {
                    try {
                        nested.executeWithoutResult(s -> jdbc.update("INSERT INTO job_source_guard (job_name, source_key) VALUES (:job, :key)", guard));
                    } catch (DuplicateKeyException raced) {
                        // another execution inserted it first: lock it as it is
                    }
                    jdbc.queryForList("SELECT job_name FROM job_source_guard WHERE job_name = :job AND source_key = :key FOR UPDATE", guard);
                }
                List<Long> others = jdbc.queryForList("""
                        SELECT job_execution_id FROM execution_heartbeat
                        WHERE job_name = :job AND source_key = :key AND ended_at IS NULL AND job_execution_id <> :exec""",
                        Map.of("job", job, "key", sourceKey, "exec", executionId), Long.class);
                Optional<Heartbeat> alive = alive(others).values().stream().min(java.util.Comparator.comparingLong(Heartbeat::executionId));
                if (alive.isPresent()) {
                    return alive;
                }
            }
            jdbc.update("""
                    INSERT INTO execution_heartbeat (job_execution_id, job_name, source_key, host, pid, process_key, started_at, beat_at)
                    VALUES (:exec, :job, :key, :host, :pid, :process, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)""",
                    new MapSqlParameterSource("exec", executionId)
                            .addValue("job", job)
                            .addValue("key", sourceKey)
                            .addValue("host", truncate(self.host(), 255))
                            .addValue("pid", self.pid())
                            .addValue("process", self.key()));
            return Optional.<Heartbeat>empty();
        });
        if (running == null || running.isEmpty()) {
            beating.add(executionId);
            scheduler();
            return Optional.empty();
        }
        return running;
    }

    /** The execution ended (whatever its status): its heartbeat stops and its row says so. */
    public void ended(long executionId) {
        beating.remove(executionId);
        ownTransaction.executeWithoutResult(status -> jdbc.update(
                "UPDATE execution_heartbeat SET ended_at = CURRENT_TIMESTAMP, beat_at = CURRENT_TIMESTAMP WHERE job_execution_id = :exec",
                Map.of("exec", executionId)));
    }

    /** The heartbeat of one execution, if it ever had one. */
    public Optional<Heartbeat> heartbeat(long executionId) {
        return Optional.ofNullable(heartbeats(List.of(executionId)).get(executionId));
    }

    /** The executions among {@code executionIds} that are alive, with their heartbeats. */
    public Map<Long, Heartbeat> alive(Collection<Long> executionIds) {
        Map<Long, Heartbeat> alive = new HashMap<>();
        heartbeats(executionIds).forEach((id, beat) -> {
            if (beat.alive()) {
                alive.put(id, beat);
            }
        });
        return alive;
    }

    /** The heartbeats of these executions (those that have one), each with its verdict. */
    public Map<Long, Heartbeat> heartbeats(Collection<Long> executionIds) {
        Map<Long, Heartbeat> found = new HashMap<>();
        if (executionIds.isEmpty()) {
            return found;
        }
        jdbc.query("""
                SELECT h.*, CURRENT_TIMESTAMP AS db_now FROM execution_heartbeat h WHERE h.job_execution_id IN (:ids)""",
                Map.of("ids", List.copyOf(executionIds)), (ResultSet rs) -> {
                    long id = rs.getLong("job_execution_id");
                    Instant beatAt = instant(rs.getObject("beat_at", OffsetDateTime.class));
                    Instant now = instant(rs.getObject("db_now", OffsetDateTime.class));
                    OffsetDateTime ended = rs.getObject("ended_at", OffsetDateTime.class);
                    Duration age = Duration.between(beatAt, now);
                    String host = rs.getString("host");
                    long pid = rs.getLong("pid");
                    boolean alive = ended == null && alive(id, rs.getString("process_key"), pid, age);
                    found.put(id, new Heartbeat(id, rs.getString("job_name"), host, pid, instant(rs.getObject("started_at", OffsetDateTime.class)),
                            beatAt, ended == null ? null : ended.toInstant(), age.isNegative() ? Duration.ZERO : age, alive));
                });
        return found;
    }

    private boolean alive(long executionId, @Nullable String processKey, long pid, Duration age) {
        if (self.key().equals(processKey)) {
            return beating.contains(executionId); // this JVM: it knows what it runs
        }
        if (processKey != null && self.sameNamespace(processKey)) {
            return ProcessIdentity.exists(pid, processKey); // this host: ask the operating system
        }
        return age.compareTo(timeout) <= 0;
    }

    private synchronized void scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "calleval-heartbeat");
                t.setDaemon(true);
                return t;
            });
            scheduler.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void beat() {
        List<Long> ids = List.copyOf(beating);
        if (ids.isEmpty()) {
            return;
        }
        try {
            ownTransaction.executeWithoutResult(status -> jdbc.update(
                    "UPDATE execution_heartbeat SET beat_at = CURRENT_TIMESTAMP WHERE job_execution_id IN (:ids) AND ended_at IS NULL",
                    Map.of("ids", ids)));
            if (beatFailing) {
                log.info("heartbeat of execution(s) {} written again", ids);
                beatFailing = false;
            }
        } catch (RuntimeException e) {
            if (!beatFailing) {
                log.warn("cannot write the heartbeat of execution(s) {}: {}; after {} other runs treat them as dead", ids, e.getMessage(), timeout);
                beatFailing = true;
            }
        }
    }

    @Override
    public synchronized void destroy() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /** The SHA-256 of a source, in hex: the key of a (job, source) pair. */
    static String sha256(String source) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? Instant.EPOCH : time.toInstant();
    }

    /**
     * Who this process is: {@code host|pid namespace|pid|start time}. Two processes share a namespace when host and
     * namespace match; only then can one check whether the other's pid still runs.
     */
    /** This process as the state store records it: host, PID namespace, PID and start time. */
    public record ProcessIdentity(String host, String namespace, long pid, String start) {
        private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

        public static ProcessIdentity current() {
            ProcessHandle me = ProcessHandle.current();
            return new ProcessIdentity(hostName(), pidNamespace(), me.pid(), me.info().startInstant().map(Instant::toString).orElse("?"));
        }

        public String key() {
            return truncate(host + "|" + namespace + "|" + pid + "|" + start, 400);
        }

        boolean sameNamespace(String otherKey) {
            String[] other = otherKey.split("\\|", -1);
            return other.length == 4 && !namespace.isEmpty() && other[0].equals(host) && other[1].equals(namespace);
        }

        /** Whether the process {@code pid} with the start time in {@code key} still runs (same namespace). */
        static boolean exists(long pid, String key) {
            String[] parts = key.split("\\|", -1);
            String start = parts.length == 4 ? parts[3] : "?";
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(p -> sameStart(start, p.info().startInstant().map(Instant::toString).orElse("?")))
                    .orElse(false);
        }

        /**
         * Whether two start times, as recorded and as read now, are one process's: equal within 2 s, or not recorded
         * (a start time that cannot be read now is not the recorded one). The JDK
         * derives a start time from the machine's boot time, which each JVM reads once from {@code /proc/stat} and
         * which moves by a second when the clock is slewed: a process's start time read by two JVMs minutes apart can
         * differ by one second. A new process that reuses the PID starts after the old one's last heartbeat, later than that.
         */
        static boolean sameStart(String recorded, String now) {
            if (recorded.equals("?") || recorded.equals(now)) {
                return true;
            }
            try {
                return Duration.between(Instant.parse(recorded), Instant.parse(now)).abs().compareTo(START_TOLERANCE) <= 0;
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                String env = System.getenv("HOSTNAME");
                return env == null || env.isBlank() ? "unknown-host" : env;
            }
        }

        /**
         * Linux: this boot of this machine and the PID namespace, e.g. {@code 3f1c...:pid:[4026531836]} (containers on one
         * machine share the boot id but not the namespace, unless they share the host's pids); empty elsewhere, and
         * then liveness rests on the heartbeat's age alone.
         */
        private static String pidNamespace() {
            try {
                String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
                String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
                return boot.isEmpty() || namespace.isEmpty() ? "" : boot + ":" + namespace;
            } catch (Exception e) {
                return "";
            }
        }
    }
}
