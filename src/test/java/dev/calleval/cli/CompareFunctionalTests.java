package dev.calleval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.calleval.CommandLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code calleval compare} through the real command line over two real nights of the sample job on the sandbox: the
 * first night (calls.csv) with goal success 100 %, the second (calls-night2.csv) 60 %. The drop is named and exits 1,
 * a night against itself exits 0, the alert URL — a real HTTP server on loopback — receives one message, and neither
 * output nor logs show the URL.
 */
class CompareFunctionalTests {
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DATABASE = "jdbc:h2:mem:compare-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @TempDir
    static Path work;

    private static Path job;

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(200);

    @BeforeAll
    static void twoNights() throws IOException {
        job = sampleJob("sample", "");
        assertThat(CommandLine.run(DATABASE, Map.of(), "run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        assertThat(CommandLine.run(DATABASE, Map.of(), "run", job.toString(), "--sandbox", "--wait-for-results", "1m",
                "--param", "source=" + SAMPLE_DATA.resolve("manifests/calls-night2.csv")).exitCode()).isZero();
    }

    /** The sample job over night 1 ({@code calls.csv}) under {@code name}, with {@code more} YAML appended. */
    private static Path sampleJob(String name, String more) throws IOException {
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                  label: production
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                """.formatted(name, SAMPLE_DATA.resolve("manifests/calls.csv"), work.resolve("reports")) + more);
        return file;
    }

    /** An alert receiver on loopback; its URL carries a token, as a Slack incoming webhook's does. */
    private String alertUrl() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/services/T000/B000/secret-token-xyz", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/services/T000/B000/secret-token-xyz";
    }

    @AfterEach
    void stopReceiver() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void namesTheDropOfGoalSuccessExitsOneAndTellsTheAlertUrlOnce() throws IOException {
        String url = alertUrl();
        CommandLine.Result result = CommandLine.run(DATABASE, Map.of("CALLEVAL_ALERTS_URL", url, "calleval.alerts.format", "slack",
                "logging.level.dev.calleval", "INFO"), "compare", "--job", "sample");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("compare sample: baseline execution 1 → candidate 2")
                .containsPattern("all\\s+goal_success\\s+100\\.0%\\s+15\\s+60\\.0%\\s+15\\s+-40\\.0pp\\s+0\\.006 \\* †\\s+REGRESSION \\(max-drop goal_success=5pp\\)")
                .containsPattern("all\\s+hallucination\\s+0\\.0%\\s+15\\s+13\\.3%\\s+15\\s+\\+13\\.3pp\\s+0\\.143 †\\s+beyond hallucination=3pp, not significant")
                .contains("1 regression: goal_success (all) 100.0% → 60.0% (-40.0pp, p=0.006; max-drop goal_success=5pp)");
        assertThat(received).as("one message").hasSize(1);
        JsonNode body = JSON.readTree(received.get(0));
        assertThat(body.path("text").asString()).startsWith("calleval: sample regressed in execution 2 (against execution 1): goal_success (all)");
        assertThat(result.err()).contains("alert sent").doesNotContain("secret-token").doesNotContain(url);
        assertThat(result.out()).doesNotContain("secret-token");
    }

    @Test
    void aNightComparedWithItselfExitsZeroAndSendsNothing() throws IOException {
        String url = alertUrl();
        CommandLine.Result result = CommandLine.run(DATABASE, Map.of("CALLEVAL_ALERTS_URL", url), "compare", "2", "2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("no regression");
        assertThat(received).isEmpty();
    }

    @Test
    void jsonNamesEveryFigureWithItsTestAndVerdict() {
        CommandLine.Result result = CommandLine.run(DATABASE, Map.of(), "compare", "1", "2", "--format", "json", "--by", "queue",
                "--max-drop", "goal_success=50pp");

        assertThat(result.exitCode()).as("-40 pp is within 50 pp").isZero();
        JsonNode json = JSON.readTree(result.out());
        assertThat(json.path("regression").asBoolean()).isFalse();
        assertThat(json.path("same_as_all").toString()).contains("agent=1234", "label=production");
        JsonNode goal = json.path("changes").get(0);
        assertThat(goal.path("group").asString()).isEqualTo("all");
        assertThat(goal.path("metric").asString()).isEqualTo("goal_success");
        assertThat(goal.path("p_value").asDouble()).isBetween(0.0061, 0.0062);
        assertThat(goal.path("threshold").asString()).isEqualTo("max-drop goal_success=50pp");
        assertThat(result.out()).contains("\"group\" : \"queue=orders\"", "\"metric\" : \"metric:Resolved on first contact\"",
                "\"metric\" : \"metric:Politeness\"", "\"test\" : \"Welch t-test\"");
    }

    @Test
    void anAlertThatCannotBeDeliveredIsOneWarningWithoutTheUrl() throws IOException {
        String url = alertUrl();
        answer.set(503);
        CommandLine.Result result = CommandLine.run(DATABASE, Map.of("CALLEVAL_ALERTS_URL", url, "calleval.alerts.max-attempts", "2"),
                "compare", "--job", "sample");

        assertThat(result.exitCode()).as("the comparison's verdict, not the alert's").isEqualTo(1);
        assertThat(received).as("retried once").hasSize(2);
        JsonNode body = JSON.readTree(received.get(0));
        assertThat(body.path("type").asString()).as("the generic body").isEqualTo("calleval.regression");
        assertThat(body.path("regressions").get(0).path("metric").asString()).isEqualTo("goal_success");
        assertThat(result.err().lines().filter(l -> l.contains("alert not delivered")).toList()).singleElement()
                .satisfies(line -> assertThat(line).doesNotContain("secret-token").doesNotContain("127.0.0.1:" + receiver.getAddress().getPort()));
    }

    @Test
    void aRunOfAJobWithAQualitySectionAlertsOnItsOwnRegressionAndStillCompletes() throws IOException {
        String database = "jdbc:h2:mem:compare-run-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Path guarded = sampleJob("guarded", """
                quality:
                  max-drop: [goal_success=10pp]
                  baseline-last: 3
                """);
        String url = alertUrl();
        Map<String, Object> alerting = Map.of("CALLEVAL_ALERTS_URL", url);
        assertThat(CommandLine.run(database, alerting, "run", guarded.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        assertThat(received).as("no earlier night: nothing to compare").isEmpty();

        CommandLine.Result second = CommandLine.run(database, alerting, "run", guarded.toString(), "--sandbox", "--wait-for-results", "1m",
                "--param", "source=" + SAMPLE_DATA.resolve("manifests/calls-night2.csv"));

        assertThat(second.exitCode()).as("the run's outcome is its calls'").isZero();
        assertThat(received).hasSize(1);
        assertThat(JSON.readTree(received.get(0)).path("regressions").get(0).path("threshold").asString())
                .isEqualTo("max-drop goal_success=10pp");
        assertThat(second.err()).contains("guarded execution 2: regression (quality:): goal_success (all) 100.0% → 60.0%")
                .doesNotContain("secret-token");
        assertThat(Files.readString(work.resolve("reports/guarded/2/report.html")))
                .contains("Regressed: goal_success 100 % → 60 % (-40.0 pp, p = 0.006; max-drop goal_success=10pp)");
    }

    @Test
    void wrongRequestsExitWithTheirCodes() {
        assertThat(CommandLine.run(DATABASE, Map.of(), "compare", "1", "99").exitCode()).as("no such execution").isEqualTo(3);
        assertThat(CommandLine.run(DATABASE, Map.of(), "compare", "--job", "nothing-ran").exitCode()).isEqualTo(3);
        CommandLine.Result bad = CommandLine.run(DATABASE, Map.of(), "compare", "1", "2", "--max-drop", "goal=5pp");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown metric 'goal'");
        assertThat(CommandLine.run(DATABASE, Map.of(), "compare", "1").exitCode()).as("one id").isEqualTo(2);
        assertThat(CommandLine.run(DATABASE, Map.of(), "compare", "1", "2", "--job", "sample").exitCode()).as("both").isEqualTo(2);
    }

    @Test
    void aBadAlertUrlStopsTheStartInOneLineWithoutShowingIt() {
        RuntimeException startFailed = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> CommandLine.run(DATABASE,
                Map.of("CALLEVAL_ALERTS_URL", "ftp://hooks.example.com/secret-token-abc"), "compare", "1", "2"));

        assertThat(StartupFailures.describe(startFailed, DATABASE)).as("the line CallevalApplication.main prints")
                .startsWith("calleval.alerts.url must be an http:// or https:// URL").doesNotContain("secret-token-abc");
        assertThat(StartupFailures.exitCode()).isEqualTo(2);
    }
}
