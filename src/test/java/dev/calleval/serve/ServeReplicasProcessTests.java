package dev.calleval.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CallevalProcess;
import dev.calleval.TestDatabases;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Two {@code serve} replicas as separate processes ({@code java -jar target/calleval.jar serve}) on one PostgreSQL, as
 * the Kubernetes example runs them ({@code replicas: 2}): every webhook is applied once, whichever replica receives it
 * (the same signed events delivered to both at the same moment, a set split between them, and two different events
 * for the same call delivered one to each), and every occurrence of a job file's schedule (every 3 s here) is fired by
 * one replica only (ShedLock's lock {@code schedule:<job>}), counted in the job repository and in both logs.
 * Skipped without the test PostgreSQL ({@code CALLEVAL_TEST_POSTGRES_URL}).
 */
class ServeReplicasProcessTests {
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String SECRET = "whsec-replicas-3c81";
    private static final String API_KEY = "bj-replicas-77d0";
    /** Calls in the manifest: a third delivered to both replicas, a third split, a third with a different event to each. */
    private static final int CALLS = 30;
    private static final int OCCURRENCES = 5;
    private static final Pattern FIRED_HERE = Pattern.compile("schedule: tick at (\\S+): fired here");
    private static final Pattern FIRED_ELSEWHERE = Pattern.compile("schedule: tick at (\\S+): fired by another serve process");
    /** Results applied from the inbox: by serve's reconciliation rounds, and by the reconcile step of the scheduled runs. */
    private static final Pattern RESULTS = Pattern.compile("reconcile: (\\d+) result\\(s\\) by webhook|(\\d+) result\\(s\\) received by webhook");

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void twoReplicasApplyEveryWebhookOnceAndFireEveryScheduleOccurrenceOnce() throws Exception {
        Assumptions.assumeTrue(TestDatabases.Kind.POSTGRES.available(), TestDatabases.POSTGRES_SKIPPED);
        CallevalProcess.jar();
        String db = TestDatabases.Kind.POSTGRES.freshUrl("replicas");
        writeJob();
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(API_KEY).withoutWebhook())) {
            Map<String, String> env = new HashMap<>(Map.of("CALLEVAL_DB_URL", db, "BLUEJAY_BASE_URL", sandbox.baseUri().toString(),
                    "BLUEJAY_API_KEY", API_KEY, "BLUEJAY_WEBHOOK_SECRET", SECRET, "SERVER_PORT", "0", "SERVER_ADDRESS", "127.0.0.1"));
            try (CallevalProcess a = CallevalProcess.start(work, "a", env, "serve", "--reconcile-every", "1s");
                    CallevalProcess b = CallevalProcess.start(work, "b", env, "serve", "--reconcile-every", "1s")) {
                URI toA = URI.create("http://127.0.0.1:" + a.servePort(START) + "/webhooks/bluejay");
                URI toB = URI.create("http://127.0.0.1:" + b.servePort(START) + "/webhooks/bluejay");

                // the first occurrence submits the calls (the sandbox sends no webhooks: the test does)
                Map<String, String> callIds = await("the scheduled run submits " + CALLS + " calls", () -> {
                    Map<String, String> ids = query(db, "SELECT source_id, call_id FROM call_ledger WHERE call_id IS NOT NULL ORDER BY source_id");
                    return ids.size() == CALLS ? ids : null;
                });
                List<String> sources = new ArrayList<>(callIds.keySet());
                List<String> both = sources.subList(0, CALLS / 3);
                List<String> split = sources.subList(CALLS / 3, 2 * CALLS / 3);
                List<String> conflicting = sources.subList(2 * CALLS / 3, CALLS);

                List<Callable<String>> deliveries = new ArrayList<>();
                for (String source : both) {
                    String body = event(callIds.get(source), source, "ev-" + source);
                    deliveries.add(() -> post(toA, body));
                    deliveries.add(() -> post(toB, body));
                }
                for (int i = 0; i < split.size(); i++) {
                    String source = split.get(i);
                    URI to = i % 2 == 0 ? toA : toB;
                    deliveries.add(() -> post(to, event(callIds.get(source), source, "ev-" + source)));
                }
                for (String source : conflicting) {
                    deliveries.add(() -> post(toA, event(callIds.get(source), source, "ev-" + source + "-a")));
                    deliveries.add(() -> post(toB, event(callIds.get(source), source, "ev-" + source + "-b")));
                }
                List<String> answers = new ArrayList<>();
                ExecutorService senders = Executors.newFixedThreadPool(8);
                try {
                    for (Future<String> answer : senders.invokeAll(deliveries)) {
                        answers.add(answer.get());
                    }
                } finally {
                    senders.shutdownNow();
                }
                assertThat(answers).as("every delivery stored once, its twin to the other replica a duplicate")
                        .filteredOn("stored"::equals).hasSize(both.size() + split.size() + 2 * conflicting.size());
                assertThat(answers).filteredOn("duplicate"::equals).hasSize(both.size());

                await("both replicas reconcile every event", () -> query(db,
                        "SELECT 'pending', CAST(COUNT(*) AS VARCHAR) FROM webhook_event WHERE processed_at IS NULL").get("pending").equals("0")
                        ? Boolean.TRUE : null);
                await(OCCURRENCES + " occurrences of the schedule while both replicas run",
                        () -> seenByBoth(a.err(), b.err()).size() >= OCCURRENCES ? Boolean.TRUE : null);
                a.terminate();
                b.terminate();
                assertThat(a.await(WAIT).exitCode()).as(a.err()).isZero();
                assertThat(b.await(WAIT).exitCode()).as(b.err()).isZero();

                // webhooks: each applied once, by whichever replica took it
                Map<String, String> outcomes = query(db, "SELECT dedupe_key, outcome FROM webhook_event");
                assertThat(outcomes).hasSize(both.size() + split.size() + 2 * conflicting.size());
                Map<String, String> evaluations = query(db, "SELECT source_id, COALESCE(evaluation_id, '-') FROM call_ledger WHERE state = 'EVALUATED'");
                assertThat(evaluations).as("every call has its result").hasSize(CALLS);
                for (String source : both) {
                    assertThat(evaluations.get(source)).isEqualTo("ev-" + source);
                }
                for (String source : split) {
                    assertThat(evaluations.get(source)).isEqualTo("ev-" + source);
                }
                for (String source : conflicting) { // one of the two events is the result; the other changed nothing
                    String callId = callIds.get(source);
                    String outcomeA = outcomes.get(dedupeKey(callId, "ev-" + source + "-a"));
                    String outcomeB = outcomes.get(dedupeKey(callId, "ev-" + source + "-b"));
                    assertThat(List.of(outcomeA, outcomeB)).as(source).containsExactlyInAnyOrder("MATCHED", "UNCHANGED");
                    assertThat(evaluations.get(source)).isEqualTo("ev-" + source + ("MATCHED".equals(outcomeA) ? "-a" : "-b"));
                }
                assertThat(outcomes.values()).filteredOn("MATCHED"::equals).hasSize(CALLS);
                assertThat(sum(RESULTS, a.err()) + sum(RESULTS, b.err())).as("results applied, counted by the replica that applied each")
                        .isEqualTo(CALLS);

                // schedule: each occurrence fired by one replica; the other says it was fired elsewhere
                Set<String> firedByA = matches(FIRED_HERE, a.err());
                Set<String> firedByB = matches(FIRED_HERE, b.err());
                assertThat(firedByA).as("occurrences fired by both replicas").doesNotContainAnyElementsOf(firedByB);
                assertThat(matches(FIRED_ELSEWHERE, a.err())).isSubsetOf(firedByB);
                assertThat(matches(FIRED_ELSEWHERE, b.err())).isSubsetOf(firedByA);
                assertThat(seenByBoth(a.err(), b.err())).as("occurrences while both replicas ran").hasSizeGreaterThanOrEqualTo(OCCURRENCES);
                int executions = Integer.parseInt(query(db, "SELECT 'n', CAST(COUNT(*) AS VARCHAR) FROM batch_job_execution").get("n"));
                int launched = count("tick: execution \\d+ launched by schedule", a.err()) + count("tick: execution \\d+ launched by schedule", b.err());
                int refused = count("schedule: tick not launched", a.err()) + count("schedule: tick not launched", b.err());
                assertThat(executions).as("executions in the job repository: one per occurrence launched").isEqualTo(launched);
                assertThat(launched + refused).as("every occurrence fired once: launched, or refused while the previous run still ran")
                        .isEqualTo(firedByA.size() + firedByB.size());
                System.out.printf("replicas: %d occurrences (%d fired by a, %d by b), %d executions, %d refused; %d webhook events, %d deliveries%n",
                        firedByA.size() + firedByB.size(), firedByA.size(), firedByB.size(), executions, refused, outcomes.size(), answers.size());
            }
        }
    }

    @Test
    void theKubernetesExampleRunsTwoServeReplicasOnPostgres() throws Exception {
        List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("kubernetes.yaml",
                new FileSystemResource(Path.of("jobs/deploy/kubernetes.yaml")));
        PropertySource<?> deployment = documents.stream().filter(d -> "Deployment".equals(String.valueOf(d.getProperty("kind")))).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment in jobs/deploy/kubernetes.yaml"));
        PropertySource<?> config = documents.stream().filter(d -> "ConfigMap".equals(String.valueOf(d.getProperty("kind")))).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap in jobs/deploy/kubernetes.yaml"));

        assertThat(deployment.getProperty("spec.template.spec.containers[0].args[0]")).isEqualTo("serve");
        assertThat(deployment.getProperty("spec.replicas")).isEqualTo(2);
        assertThat(String.valueOf(config.getProperty("data.CALLEVAL_DB_URL"))).startsWith("jdbc:postgresql://");
    }

    private void writeJob() throws Exception {
        Files.createDirectories(work.resolve("jobs"));
        StringBuilder manifest = new StringBuilder("call_id,agent_id,start_time_utc,recording\n");
        for (int i = 1; i <= CALLS; i++) {
            manifest.append("rep-%03d,1234,2026-11-19T08:02:11Z,https://recordings.example.com/rep-%03d.wav\n".formatted(i, i));
        }
        Files.writeString(work.resolve("calls.csv"), manifest);
        Files.writeString(work.resolve("jobs/tick.yaml"), """
                name: tick
                source:
                  location: ../calls.csv
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                schedule:
                  cron: "*/3 * * * * *"
                report:
                  directory: ../reports
                """);
    }

    /** An {@code observability_call_evaluated} event: COMPLETED, with one evaluation. */
    private static String event(String callId, String sourceId, String evaluationId) {
        return """
                {"type":"observability_call_evaluated","id":"%s","agent_id":"1234","status":"COMPLETED","created_at":"2026-11-20T02:14:07Z",\
                "evaluations":[{"id":"%s","created_at":"2026-11-20T02:15:41Z","goal_success":true,"hallucination":false,"num_turns":4}],\
                "metadata":{"calleval_source_id":"%s"}}""".formatted(callId, evaluationId, sourceId);
    }

    /** The inbox's key of such an event (type, id, status, evaluation ids: {@code WebhookController.dedupeKey}). */
    private static String dedupeKey(String callId, String evaluationId) {
        return "observability_call_evaluated:" + callId + ":COMPLETED:" + evaluationId;
    }

    /** Posts a signed event; returns the receiver's {@code status} ({@code stored} or {@code duplicate}). */
    private String post(URI to, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(to).header("Content-Type", "application/json")
                .header("X-Bluejay-Signature", java.util.HexFormat.of().formatHex(mac.doFinal(bytes)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher status = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"").matcher(response.body());
        assertThat(status.find()).as(response.body()).isTrue();
        return status.group(1);
    }

    /** The first two columns of a query's rows, as a map in row order. */
    private static Map<String, String> query(String url, String sql) throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    private interface Check<T> {
        T get() throws Exception;
    }

    /** Polls {@code check} until it answers non-null, at most {@link #WAIT}. */
    private static <T> T await(String what, Check<T> check) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            T value = check.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + WAIT + ": " + what);
    }

    private static Set<String> matches(Pattern pattern, String log) {
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>();
        Matcher m = pattern.matcher(log);
        while (m.find()) {
            found.add(m.group(1));
            all.add(m.group(1));
        }
        assertThat(all).as("one line per occurrence and process: " + pattern).doesNotHaveDuplicates();
        return found;
    }

    /** The occurrences both logs mention (fired here, or by the other). */
    private static Set<String> seenByBoth(String logA, String logB) {
        Set<String> seen = new HashSet<>(matches(FIRED_HERE, logA));
        seen.addAll(matches(FIRED_ELSEWHERE, logA));
        Set<String> seenByB = new HashSet<>(matches(FIRED_HERE, logB));
        seenByB.addAll(matches(FIRED_ELSEWHERE, logB));
        seen.retainAll(seenByB);
        return seen;
    }

    private static int sum(Pattern pattern, String log) {
        int sum = 0;
        Matcher m = pattern.matcher(log);
        while (m.find()) {
            sum += Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return sum;
    }

    private static int count(String regex, String log) {
        int n = 0;
        Matcher m = Pattern.compile(regex).matcher(log);
        while (m.find()) {
            n++;
        }
        return n;
    }
}
