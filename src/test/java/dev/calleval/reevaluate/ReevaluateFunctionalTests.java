package dev.calleval.reevaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.TestDatabases;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reevaluate JOB} through the real command line, against the sandbox as a real HTTP server on loopback: calls
 * evaluated by {@code run} are re-evaluated once per round, the new evaluations arrive by webhook or by polling, the
 * first result stays in the ledger, and the round's report shows old and new results.
 */
class ReevaluateFunctionalTests {
    @TempDir
    Path work;

    @Test
    void reevaluatesTheChosenCallsOnceWithTheirNewEvaluationsByWebhook() throws Exception {
        String db = database();
        Path job = job("");
        assertThat(CommandLine.run(db, Map.of(), "run", job.toString(), "--sandbox").exitCode()).isZero();
        List<String> firstEvaluations = column(db, "SELECT evaluation_id FROM call_ledger ORDER BY id");

        CommandLine.Result round = CommandLine.run(db, Map.of(), "reevaluate", job.toString(), "--sandbox", "--where", "num_turns=3");

        assertThat(round.exitCode()).isZero();
        assertThat(round.out()).contains("reevaluate sample — round ").contains("COMPLETED")
                .containsPattern("calls chosen +6\\n").containsPattern("sent by this execution +6 ")
                .contains("round: 6 call(s), 6 re-evaluated, 0 incomplete, 0 waiting");
        assertThat(round.out().lines().filter(l -> l.contains(" EVALUATED ")).count()).isEqualTo(6);
        // the new evaluation is another one; the first result stays in call_ledger, unchanged
        assertThat(column(db, "SELECT result_source FROM reevaluation")).containsOnly("WEBHOOK").hasSize(6);
        assertThat(column(db, "SELECT COUNT(*) FROM reevaluation WHERE new_evaluation_id IS NOT NULL AND new_evaluation_id <> old_evaluation_id"
                + " AND old_evaluation_id IN (SELECT evaluation_id FROM call_ledger)")).containsExactly("6");
        assertThat(column(db, "SELECT evaluation_id FROM call_ledger ORDER BY id")).isEqualTo(firstEvaluations);
        Path report = reportOf(round.out());
        String csv = Files.readString(report.resolve("reevaluation.csv"));
        assertThat(csv.lines().findFirst().orElseThrow()).contains("old_goal_success,new_goal_success").contains("old_num_turns,new_num_turns");
        assertThat(csv.lines().skip(1)).hasSize(6).allSatisfy(l -> assertThat(l).contains(",EVALUATED,").contains(",3,3,"));
        assertThat(Files.readString(report.resolve("summary.json"))).contains("\"selection\" : \"where=num_turns=3\"").contains("\"evaluated\" : 6");
        // export counts the round in each call's history
        CommandLine.Result export = CommandLine.run(db, Map.of(), "export", "--job", "sample", "--format", "jsonl");
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out().lines().filter(l -> l.contains("\"reevaluations\":1")).count()).isEqualTo(6);
        assertThat(export.out().lines().filter(l -> l.contains("\"reevaluations\":0")).count()).isEqualTo(9);

        // the latest result is the round's: a filter on it sees the calls the round re-evaluated
        CommandLine.Result dryRun = CommandLine.run(db, Map.of(), "reevaluate", job.toString(), "--sandbox", "--dry-run", "--where", "num_turns=3",
                "--call-ids", "nw-2026-11-19-0003,nw-2026-11-19-0001");
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out()).contains("1 call(s) would be sent to sandbox; nothing sent or recorded").contains("nw-2026-11-19-0003");
        assertThat(column(db, "SELECT COUNT(*) FROM reevaluation")).containsExactly("6");
    }

    @Test
    void aRestartedRoundSendsNothingTwiceAndPollsForTheNewEvaluations() throws Exception {
        String db = database();
        Path job = job("""
                results:
                  poll-after: 0s
                  poll-interval: 1s
                """);
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey("key").withoutWebhook())) {
            Map<String, Object> api = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "key");
            assertThat(CommandLine.run(db, api, "run", job.toString(), "--wait-for-results", "30s").exitCode()).isZero();
            // Bluejay judged two calls unsuccessful (the sample scripts every call's goal as met: changed here in the ledger)
            update(db, "UPDATE call_ledger SET goal_success = FALSE WHERE source_id IN ('nw-2026-11-19-0002', 'nw-2026-11-19-0005')");

            CommandLine.Result first = CommandLine.run(db, api, "reevaluate", job.toString(), "--where", "goal_success=false",
                    "--wait-for-results", "30s");
            assertThat(first.exitCode()).isZero();
            assertThat(first.out()).containsPattern("sent by this execution +2 ").contains("round: 2 call(s), 2 re-evaluated");
            assertThat(column(db, "SELECT result_source FROM reevaluation")).containsOnly("POLL").hasSize(2);
            assertThat(reEvaluations(sandbox)).isEqualTo(2);
            String round = roundOf(first.out());

            // the round is found killed (its execution FAILED) after sending 0002 (its evaluation not yet arrived) and with 0005
            // left in doubt; a third call now matches
            update(db, "UPDATE BATCH_JOB_EXECUTION SET STATUS = 'FAILED', EXIT_CODE = 'FAILED' WHERE JOB_EXECUTION_ID = "
                    + executionOf(first.out()));
            update(db, "UPDATE reevaluation SET state = 'PENDING', in_doubt = TRUE WHERE call_id = (SELECT call_id FROM call_ledger"
                    + " WHERE source_id = 'nw-2026-11-19-0005')");
            update(db, "UPDATE reevaluation SET state = 'SENT', new_evaluation_id = NULL, result_source = NULL WHERE call_id = (SELECT call_id"
                    + " FROM call_ledger WHERE source_id = 'nw-2026-11-19-0002')");
            update(db, "UPDATE call_ledger SET goal_success = FALSE WHERE source_id = 'nw-2026-11-19-0009'");

            CommandLine.Result restarted = CommandLine.run(db, api, "reevaluate", job.toString(), "--where", "goal_success=false",
                    "--wait-for-results", "30s");
            assertThat(restarted.exitCode()).isZero();
            assertThat(roundOf(restarted.out())).isEqualTo(round);
            assertThat(restarted.out()).containsPattern("calls chosen +3\\n").containsPattern("sent by this execution +1 ")
                    .contains("already in this round: 1, waiting in another round: 0, found sent: 1").contains("round: 3 call(s), 3 re-evaluated");
            assertThat(reEvaluations(sandbox)).isEqualTo(3); // the in-doubt one was looked up, not sent again

            // the latest result is now the round's (the sample scripts goal_success true); a completed round's command
            // again is a new round; --call-ids narrows it
            CommandLine.Result next = CommandLine.run(db, api, "reevaluate", job.toString(), "--where", "goal_success=true",
                    "--call-ids", "nw-2026-11-19-0009", "--wait-for-results", "30s");
            assertThat(next.exitCode()).isZero();
            assertThat(roundOf(next.out())).isNotEqualTo(round);
            assertThat(next.out()).containsPattern("sent by this execution +1 ");
            assertThat(reEvaluations(sandbox)).isEqualTo(4);
        }
    }

    @Test
    void aRoundThatEndsBeforeItsEvaluationsArriveIsCompletedByReconcile() throws Exception {
        String db = database();
        Path job = job("""
                results:
                  poll-after: 0s
                """);
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey("key").withoutWebhook())) {
            Map<String, Object> api = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "key");
            assertThat(CommandLine.run(db, api, "run", job.toString(), "--wait-for-results", "30s").exitCode()).isZero();

            CommandLine.Result round = CommandLine.run(db, api, "reevaluate", job.toString(), "--call-ids",
                    "nw-2026-11-19-0001,nw-2026-11-19-0002");
            assertThat(round.exitCode()).isZero();
            assertThat(round.out()).containsPattern("sent by this execution +2 ");
            assertThat(column(db, "SELECT state FROM reevaluation")).containsOnly("SENT").hasSize(2);

            Thread.sleep(500); // the sandbox's evaluation delay (300 ms)
            CommandLine.Result reconcile = CommandLine.run(db, api, "reconcile", job.toString(), "--poll-after", "0s");
            assertThat(reconcile.exitCode()).isZero();
            assertThat(reconcile.out()).contains("2 result(s) found");
            assertThat(column(db, "SELECT state FROM reevaluation")).containsOnly("EVALUATED").hasSize(2);
            assertThat(reEvaluations(sandbox)).isEqualTo(2);
        }
    }

    @Test
    void aSecondRoundLeavesOutTheCallsTheFirstRoundStillWaitsFor() throws Exception {
        String db = database();
        Path job = job("""
                results:
                  poll-after: 0s
                """);
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey("key").withoutWebhook()
                .withEvaluationDelay(java.time.Duration.ofSeconds(2)))) {
            Map<String, Object> api = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "key");
            assertThat(CommandLine.run(db, api, "run", job.toString(), "--wait-for-results", "30s").exitCode()).isZero();

            // round 1 ends at once: its two calls wait for their new evaluations (the sandbox takes 2 s)
            CommandLine.Result first = CommandLine.run(db, api, "reevaluate", job.toString(), "--call-ids", "nw-2026-11-19-0001,nw-2026-11-19-0002",
                    "--wait-for-results", "0s");
            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).containsPattern("sent by this execution +2 ");
            String firstRound = roundOf(first.out());

            // round 2 (another selection) chooses them again, and a third call: it sends only the third
            CommandLine.Result second = CommandLine.run(db, api, "reevaluate", job.toString(), "--call-ids",
                    "nw-2026-11-19-0001,nw-2026-11-19-0002,nw-2026-11-19-0003", "--wait-for-results", "0s");
            assertThat(second.exitCode()).as(second.err()).isZero();
            String secondRound = roundOf(second.out());
            assertThat(secondRound).isNotEqualTo(firstRound);
            assertThat(second.out()).containsPattern("calls chosen +3\\n").containsPattern("sent by this execution +1 ")
                    .contains("waiting in another round: 2,").contains("round: 1 call(s)");
            assertThat(Files.readString(reportOf(second.out()).resolve("summary.json"))).contains("\"waiting_in_another_round\" : 2");
            assertThat(reEvaluations(sandbox)).isEqualTo(3);
            assertThat(column(db, "SELECT COUNT(*) FROM reevaluation WHERE round_id = '" + secondRound + "'")).containsExactly("1");

            // the first round gets its own results: one new evaluation each, recorded in round 1's rows
            Thread.sleep(2500);
            CommandLine.Result reconcile = CommandLine.run(db, api, "reconcile", job.toString(), "--poll-after", "0s");
            assertThat(reconcile.exitCode()).as(reconcile.err()).isZero();
            assertThat(column(db, "SELECT state FROM reevaluation WHERE round_id = '" + firstRound + "'")).containsOnly("EVALUATED").hasSize(2);
            assertThat(column(db, "SELECT state FROM reevaluation WHERE round_id = '" + secondRound + "'")).containsExactly("EVALUATED");
            assertThat(column(db, "SELECT COUNT(DISTINCT new_evaluation_id) FROM reevaluation")).containsExactly("3");

            // once round 1 has its results, a new round may choose its calls again
            CommandLine.Result third = CommandLine.run(db, api, "reevaluate", job.toString(), "--call-ids", "nw-2026-11-19-0001",
                    "--wait-for-results", "0s");
            assertThat(third.out()).containsPattern("sent by this execution +1 ").contains("waiting in another round: 0,");
        }
    }

    @Test
    void refusesAnUnknownWhereFieldAndAnUnknownExecution() throws Exception {
        String db = database();
        Path job = job("");
        CommandLine.Result unknownField = CommandLine.run(db, Map.of(), "reevaluate", job.toString(), "--where", "goal_sucess=false");
        assertThat(unknownField.exitCode()).isEqualTo(2);
        assertThat(unknownField.err()).contains("unknown field 'goal_sucess' in --where goal_sucess=false; known fields: goal_success, hallucination");

        CommandLine.Result noExecution = CommandLine.run(db, Map.of(), "reevaluate", job.toString(), "--execution", "99", "--sandbox");
        assertThat(noExecution.exitCode()).isEqualTo(3);
        assertThat(noExecution.err().strip()).isEqualTo("calleval: no execution 99 of job sample in this database (see 'calleval status sample')");
    }

    private static long reEvaluations(SandboxServer sandbox) {
        return sandbox.requests().stream().filter(r -> r.path().startsWith("/v1/re-evaluate/") && r.status() == 200).count();
    }

    private static String roundOf(String out) {
        return out.replaceAll("(?s).*reevaluate sample — round (\\d+),.*", "$1");
    }

    private static String executionOf(String out) {
        return out.replaceAll("(?s).*, execution (\\d+) — .*", "$1");
    }

    private static Path reportOf(String out) {
        return Path.of(out.replaceAll("(?s).*  report: (\\S+)/ \\(reevaluation.csv.*", "$1"));
    }

    /** A new, empty state store for one test (overridden for PostgreSQL). */
    String database() {
        return TestDatabases.Kind.H2.freshUrl("reevaluate");
    }

    private static Connection connect(String db) throws java.sql.SQLException {
        return db.startsWith("jdbc:h2:") ? DriverManager.getConnection(db, "sa", "") : DriverManager.getConnection(db); // a PostgreSQL URL carries its user
    }

    private Path job(String more) throws Exception {
        Path job = work.resolve("sample.yaml");
        Files.writeString(job, """
                name: sample
                source:
                  location: %s
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                """.formatted(Path.of("sample-data/manifests/calls.csv").toAbsolutePath(), work.resolve("reports")) + more);
        return job;
    }

    private static List<String> column(String db, String sql) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static void update(String db, String sql) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
