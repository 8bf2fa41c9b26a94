import dev.calleval.CallevalApplication;
import dev.calleval.reconciliation.Reconciler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * B4 reconciliation time: seeds a fresh calleval database with N SUBMITTED ledger rows and, for each, one stored
 * {@code observability_call_evaluated} event (status COMPLETED, one evaluation, the body of
 * {@code bench/webhook-call-evaluated.template.json}, ~3 KB), then times ONE call of
 * {@code Reconciler.processInbox()} run the way the reconcile step runs it: inside one transaction of the
 * application's {@code PlatformTransactionManager} (a tasklet pass is one transaction).
 *
 * <p>Run with the application's classes on the class path (the jar extracted by
 * {@code java -Djarmode=tools -jar target/calleval.jar extract --destination DIR}):
 * <pre>
 * java -Xmx1g -cp DIR/calleval.jar bench/ReconcileBench.java --db 'jdbc:h2:file:/tmp/x/db' --calls 1000000 \
 *      [--transaction true|false] [--timeout-s SECONDS] [--template bench/webhook-call-evaluated.template.json]
 * </pre>
 * The Spring context is the application's own (Flyway creates the schema), started without the command line and
 * without the web server. Seeding uses plain JDBC batches of 1,000 and is not part of the timed figure. Prints a
 * human summary on stderr and one JSON object on stdout: calls, seed_s, reconcile_s, calls_per_s, matched,
 * unchanged, progress, orphans, unreadable, evaluated_rows (ledger rows EVALUATED afterwards), finished, transaction.
 * With {@code --timeout-s}, a pass still running then is abandoned: the JSON has {@code "finished": false} and the
 * rows matched so far, and the exit status is 3.
 */
public final class ReconcileBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String db = opts.get("db");
        if (db == null) {
            throw new IllegalArgumentException("--db JDBC_URL is required (a fresh database)");
        }
        int calls = Integer.parseInt(opts.getOrDefault("calls", "1000000"));
        boolean inTransaction = Boolean.parseBoolean(opts.getOrDefault("transaction", "true"));
        long timeoutSeconds = Long.parseLong(opts.getOrDefault("timeout-s", "0"));
        String template = Files.readString(Path.of(opts.getOrDefault("template", "bench/webhook-call-evaluated.template.json")),
                StandardCharsets.UTF_8).strip();

        SpringApplication app = CallevalApplication.application();
        try (ConfigurableApplicationContext context = app.run("--calleval.cli.enabled=false", "--spring.datasource.url=" + db,
                "--logging.level.dev.calleval=WARN")) {
            DataSource dataSource = context.getBean(DataSource.class);
            long t0 = System.nanoTime();
            seed(dataSource, calls, template);
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            System.err.printf(Locale.ROOT, "seeded %,d ledger rows and %,d events in %.1f s%n", calls, calls, seedSeconds);

            Reconciler reconciler = context.getBean(Reconciler.class);
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            long t1 = System.nanoTime();
            watchdog(dataSource, calls, t1, timeoutSeconds, inTransaction, seedSeconds);
            Reconciler.InboxPass pass = inTransaction ? tx.execute(status -> reconciler.processInbox()) : reconciler.processInbox();
            double reconcileSeconds = (System.nanoTime() - t1) / 1e9;
            long evaluated = count(dataSource, "SELECT COUNT(*) FROM call_ledger WHERE state = 'EVALUATED'");
            System.err.printf(Locale.ROOT, "processInbox(): %,d matched, %,d unchanged, %,d orphans in %.1f s (%.0f calls/s); %,d ledger rows EVALUATED%n",
                    pass.matched(), pass.unchanged(), pass.orphans(), reconcileSeconds, calls / reconcileSeconds, evaluated);
            System.out.printf(Locale.ROOT, "{\"calls\": %d, \"seed_s\": %.2f, \"reconcile_s\": %.2f, \"calls_per_s\": %.1f, \"matched\": %d, "
                    + "\"unchanged\": %d, \"progress\": %d, \"orphans\": %d, \"unreadable\": %d, \"evaluated_rows\": %d, \"finished\": true, "
                    + "\"transaction\": %s}%n",
                    calls, seedSeconds, reconcileSeconds, calls / reconcileSeconds, pass.matched(), pass.unchanged(), pass.progress(),
                    pass.orphans(), pass.unreadable(), evaluated, inTransaction);
        }
    }

    /**
     * Every 10 s, prints how many ledger rows are EVALUATED so far (read uncommitted, so the pass's own transaction is
     * seen). After {@code timeoutSeconds} (0: never), prints the partial JSON result ({@code "finished": false}) and
     * exits with status 3.
     */
    private static void watchdog(DataSource dataSource, int calls, long startNanos, long timeoutSeconds, boolean inTransaction,
            double seedSeconds) {
        Thread watch = new Thread(() -> {
            try (Connection c = dataSource.getConnection()) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
                while (true) {
                    Thread.sleep(10_000);
                    double elapsed = (System.nanoTime() - startNanos) / 1e9;
                    long done = count(c, "SELECT COUNT(*) FROM call_ledger WHERE state = 'EVALUATED'");
                    System.err.printf(Locale.ROOT, "  %6.0f s: %,d of %,d matched%n", elapsed, done, calls);
                    if (timeoutSeconds > 0 && elapsed >= timeoutSeconds) {
                        System.err.printf(Locale.ROOT, "processInbox() did not finish within %d s: %,d of %,d matched%n", timeoutSeconds, done, calls);
                        System.out.printf(Locale.ROOT, "{\"calls\": %d, \"seed_s\": %.2f, \"reconcile_s\": %.2f, \"calls_per_s\": %.1f, "
                                + "\"matched\": %d, \"finished\": false, \"transaction\": %s}%n", calls, seedSeconds, elapsed, done / elapsed, done,
                                inTransaction);
                        System.out.flush();
                        Runtime.getRuntime().halt(3);
                    }
                }
            } catch (Exception e) {
                System.err.println("progress watch stopped: " + e);
            }
        }, "progress");
        watch.setDaemon(true);
        watch.start();
    }

    /** N ledger rows (SUBMITTED, with a call id) and N unprocessed events for those call ids. */
    private static void seed(DataSource dataSource, int calls, String template) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (count(c, "SELECT COUNT(*) FROM call_ledger") > 0 || count(c, "SELECT COUNT(*) FROM webhook_event") > 0) {
                throw new IllegalStateException("the database is not empty: use a fresh --db");
            }
            try (PreparedStatement ledger = c.prepareStatement("""
                    INSERT INTO call_ledger (endpoint, agent_key, source_id, state, call_id, attempts, in_doubt, source_ref, job_name,
                                             job_execution_id, created_at, updated_at, submitted_at)
                    VALUES ('sandbox', '1234', ?, 'SUBMITTED', ?, 1, FALSE, ?, 'b4-reconcile', 1, ?, ?, ?)""");
                 PreparedStatement event = c.prepareStatement("""
                    INSERT INTO webhook_event (dedupe_key, event_type, delivery_id, subject_id, call_id, source_id, status, body, received_at)
                    VALUES (?, 'observability_call_evaluated', ?, ?, ?, ?, 'COMPLETED', ?, ?)""")) {
                for (int i = 1; i <= calls; i++) {
                    String sourceId = String.format(Locale.ROOT, "rec-%07d", i);
                    String callId = UUID.randomUUID().toString();
                    String evaluationId = UUID.randomUUID().toString();
                    ledger.setString(1, sourceId);
                    ledger.setString(2, callId);
                    ledger.setString(3, "manifest.csv:" + (i + 1));
                    ledger.setObject(4, now);
                    ledger.setObject(5, now);
                    ledger.setObject(6, now);
                    ledger.addBatch();
                    event.setString(1, "observability_call_evaluated:" + callId + ":COMPLETED:" + evaluationId);
                    event.setString(2, "delivery-" + i);
                    event.setString(3, callId);
                    event.setString(4, callId);
                    event.setString(5, sourceId);
                    event.setString(6, template.replace("{{call_id}}", callId).replace("{{evaluation_id}}", evaluationId)
                            .replace("{{source_id}}", sourceId));
                    event.setObject(7, now);
                    event.addBatch();
                    if (i % 1000 == 0 || i == calls) {
                        ledger.executeBatch();
                        event.executeBatch();
                        c.commit();
                    }
                    if (i % 100_000 == 0) {
                        System.err.printf(Locale.ROOT, "  seeded %,d%n", i);
                    }
                }
            }
            c.commit();
        }
    }

    private static long count(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return count(c, sql);
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
