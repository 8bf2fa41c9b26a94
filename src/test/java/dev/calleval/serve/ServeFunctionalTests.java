package dev.calleval.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code serve --sandbox} as a user starts it (the real command line, Spring context, web server on an ephemeral port,
 * the sandbox on loopback sending signed webhooks, H2): the launch API with and without its token, a launch that ends
 * COMPLETED and whose calls end EVALUATED by webhook, a scheduled job that fires by itself, a duplicate launch refused,
 * and a shutdown that stops a running execution cleanly.
 */
class ServeFunctionalTests {
    private static final Path SAMPLE_MANIFEST = Path.of("sample-data/manifests/calls.csv").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "serve-test-token-" + UUID.randomUUID();

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();
    private int port;

    /**
     * A job over the sample calls for its own agent (the manifest names the agent per row, so each job gets a copy with
     * its agent id and the file paths made absolute): its calls are new to the ledger.
     */
    private void job(String name, String agentId, String extra) throws IOException {
        Files.createDirectories(work.resolve("jobs"));
        Path manifest = work.resolve(name + "-calls.csv");
        String sampleData = SAMPLE_MANIFEST.getParent().getParent().toString();
        Files.writeString(manifest, Files.readString(SAMPLE_MANIFEST).replace(",1234,", "," + agentId + ",").replace("../", sampleData + "/"));
        Files.writeString(work.resolve("jobs").resolve(name + ".yaml"), """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "%s"
                report:
                  directory: %s
                %s""".formatted(name, manifest, agentId, work.resolve("reports"), extra));
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, TOKEN, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Polls {@code path} until {@code done} holds; fails with the last answer after {@code timeout}. */
    private JsonNode await(String path, Duration timeout, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = get(path);
        while (!done.test(last)) {
            assertThat(Instant.now()).as("waiting for %s, last answer %s", path, last).isBefore(deadline);
            Thread.sleep(200);
            last = get(path);
        }
        return last;
    }

    private static JsonNode job(JsonNode jobs, String name) {
        for (JsonNode job : jobs) {
            if (job.path("name").asString().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no job " + name + " in " + jobs);
    }

    @Test
    void servesWebhooksSchedulesAndLaunchesOverHttp() throws Exception {
        job("fast", "1234", "submit:\n  rate-limit: 50\n");
        job("ticking", "5678", "submit:\n  rate-limit: 50\nschedule:\n  cron: \"*/2 * * * * *\"\n");
        job("slow", "9999", "submit:\n  rate-limit: 3\n  max-in-flight: 1\n  chunk-size: 2\n");
        String databaseUrl = "jdbc:h2:mem:serve-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        ServeUnderTest serve = ServeUnderTest.start(Map.of("CALLEVAL_DB_URL", databaseUrl, "calleval.jobs-dir", work.resolve("jobs").toString(),
                "CALLEVAL_API_TOKEN", TOKEN), "serve", "--sandbox", "--reconcile-every", "300ms");
        try {
            port = serve.port();
            JsonNode jobs = await("/api/jobs", Duration.ofSeconds(30), j -> j.size() == 3);
            assertThat(job(jobs, "ticking").path("schedule").path("cron").asString()).isEqualTo("*/2 * * * * *");
            assertThat(job(jobs, "ticking").path("schedule").path("next_fire_time").isString()).isTrue();
            assertThat(job(jobs, "fast").path("schedule").isNull()).isTrue();

            // the API refuses a launch without the token, or with another one
            HttpResponse<String> anonymous = send("POST", "/api/jobs/fast/executions", null, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(send("POST", "/api/jobs/fast/executions", TOKEN + "x", null).statusCode()).isEqualTo(401);
            assertThat(send("GET", "/api/jobs", "wrong", null).statusCode()).isEqualTo(401);
            assertThat(get("/api/jobs").toString()).doesNotContain(TOKEN);

            // unknown job, unknown parameter
            HttpResponse<String> unknown = send("POST", "/api/jobs/nope/executions", TOKEN, null);
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no job named 'nope'").contains("fast, slow, ticking");
            HttpResponse<String> badParameter = send("POST", "/api/jobs/fast/executions", TOKEN, "{\"colour\": \"blue\"}");
            assertThat(badParameter.statusCode()).isEqualTo(400);
            assertThat(badParameter.body()).contains("unknown job parameter 'colour'");

            // a launch with the token: 202 with the execution id and where to follow it; it completes; webhooks evaluate its calls
            HttpResponse<String> accepted = send("POST", "/api/jobs/fast/executions", TOKEN, "{\"source\": \"../fast-calls.csv\"}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            long fastId = JSON.readTree(accepted.body()).path("execution_id").asLong();
            assertThat(accepted.headers().firstValue("Location")).hasValue("http://127.0.0.1:" + port + "/api/executions/" + fastId);
            JsonNode fast = await("/api/executions/" + fastId, Duration.ofSeconds(60),
                    e -> e.path("status").asString().equals("COMPLETED") && e.path("counts").path("evaluated").asLong() == 15);
            assertThat(fast.path("job").asString()).isEqualTo("fast");
            assertThat(fast.path("rows_read").asLong()).isEqualTo(15);
            assertThat(fast.path("submitted_this_run").asLong()).isEqualTo(15);
            assertThat(fast.path("counts_add_up").asBoolean()).isTrue();
            assertThat(fast.path("report_directory").asString()).endsWith("fast/" + fastId);
            assertThat(send("GET", "/api/executions/987654", TOKEN, null).statusCode()).isEqualTo(404);

            // the scheduled job has fired by itself and completed
            JsonNode ticking = await("/api/jobs", Duration.ofSeconds(60),
                    j -> job(j, "ticking").path("last_execution").path("status").asString().equals("COMPLETED"));
            JsonNode tick = get("/api/executions/" + job(ticking, "ticking").path("last_execution").path("execution_id").asLong());
            assertThat(tick.path("rows_read").asLong()).isEqualTo(15);
            assertThat(tick.path("counts_add_up").asBoolean()).isTrue();

            // a second launch while the first over the same source runs is refused, naming the running execution
            HttpResponse<String> slow = send("POST", "/api/jobs/slow/executions", TOKEN, null);
            assertThat(slow.statusCode()).as(slow.body()).isEqualTo(202);
            long slowId = JSON.readTree(slow.body()).path("execution_id").asLong();
            HttpResponse<String> duplicate = send("POST", "/api/jobs/slow/executions", TOKEN, null);
            assertThat(duplicate.statusCode()).as(duplicate.body()).isEqualTo(409);
            assertThat(JSON.readTree(duplicate.body()).path("running_execution_id").asLong()).isEqualTo(slowId);
            assertThat(JSON.readTree(duplicate.body()).path("error").asString()).contains("slow is already running").contains("execution " + slowId);
        } finally {
            serve.close(); // as SIGTERM does: running executions stop after their chunk
        }
        assertThat(serve.exitCode()).isZero();
        try (Connection db = DriverManager.getConnection(databaseUrl, "sa", "");
                ResultSet rs = db.createStatement().executeQuery("""
                        SELECT e.STATUS FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID
                        WHERE i.JOB_NAME = 'slow'""")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the slow execution, stopped by the shutdown").isEqualTo("STOPPED");
            assertThat(rs.next()).isFalse();
        }
        try (Connection db = DriverManager.getConnection(databaseUrl, "sa", "");
                ResultSet rs = db.createStatement().executeQuery("""
                        SELECT s.READ_COUNT FROM BATCH_STEP_EXECUTION s JOIN BATCH_JOB_EXECUTION e ON e.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID
                        JOIN BATCH_JOB_INSTANCE i ON i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID WHERE i.JOB_NAME = 'slow' AND s.STEP_NAME = 'submit'""")) {
            // it stopped after its chunk in progress, or before its submit step began (no step row: it read nothing)
            long read = rs.next() ? rs.getLong(1) : 0;
            assertThat(read).as("rows read before it stopped").isLessThan(15);
        }
    }
}
