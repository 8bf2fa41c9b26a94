package dev.calleval.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The launch API with the shipped jobs folder, whose {@code sample-s3-prefix} reads one day of an S3 prefix: the job
 * listing shows which parameters a launch may give and what it uses without them (it answered 500 when a job's source
 * needed a date), a malformed date is refused (400), and a launch with or without a date starts an execution over that
 * day's prefix.
 */
class LaunchParametersFunctionalTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "launch-parameters-" + UUID.randomUUID();

    @TempDir
    Path work;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aJobThatReadsADayIsListedWithItsDateParameterAndLaunchedForTheDayGiven() throws Exception {
        Files.createDirectories(work.resolve("jobs"));
        for (String job : new String[] {"sample.yaml", "sample-s3-prefix.yaml"}) {
            Files.writeString(work.resolve("jobs").resolve(job), Files.readString(Path.of("jobs", job))
                    .replace("../sample-data/", Path.of("sample-data").toAbsolutePath() + "/") + "report:\n  directory: " + work.resolve("reports") + "\n");
        }
        try (ServeUnderTest serve = ServeUnderTest.start(Map.of("CALLEVAL_DB_URL", "jdbc:h2:mem:launch-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "calleval.jobs-dir", work.resolve("jobs").toString(), "CALLEVAL_API_TOKEN", TOKEN, "AWS_REGION", "us-east-1",
                "CALLEVAL_S3_ENDPOINT", "http://127.0.0.1:1"), "serve", "--sandbox")) {
            HttpResponse<String> jobs = send(serve.port(), "GET", "/api/jobs", null);
            for (int i = 0; i < 300 && jobs.statusCode() == 200 && JSON.readTree(jobs.body()).isEmpty(); i++) {
                Thread.sleep(100); // the context has started; the serve command opens the launches right after
                jobs = send(serve.port(), "GET", "/api/jobs", null);
            }
            assertThat(jobs.statusCode()).as(jobs.body()).isEqualTo(200);
            JsonNode prefix = job(JSON.readTree(jobs.body()), "sample-s3-prefix");
            assertThat(prefix.path("source").asString()).isEqualTo("s3://my-bucket/calls/{date:yyyy/MM/dd}/");
            assertThat(prefix.path("parameters").findValuesAsString("name")).containsExactly("source", "date");
            assertThat(prefix.path("parameters").get(1).path("format").asString()).isEqualTo("yyyy-MM-dd");
            assertThat(prefix.path("parameters").get(1).path("default_value").asString()).isEqualTo("yesterday in UTC (source.zone)");
            JsonNode sample = job(JSON.readTree(jobs.body()), "sample");
            assertThat(sample.path("parameters").findValuesAsString("name")).containsExactly("source");

            HttpResponse<String> badDate = send(serve.port(), "POST", "/api/jobs/sample-s3-prefix/executions", "{\"date\": \"19.11.2026\"}");
            assertThat(badDate.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(badDate.body()).path("error").asString())
                    .isEqualTo("sample-s3-prefix: date '19.11.2026' is not a date; write yyyy-MM-dd, e.g. 2026-11-19");
            HttpResponse<String> dateOnManifestJob = send(serve.port(), "POST", "/api/jobs/sample/executions", "{\"date\": \"2026-11-19\"}");
            assertThat(dateOnManifestJob.statusCode()).isEqualTo(400);

            HttpResponse<String> day = send(serve.port(), "POST", "/api/jobs/sample-s3-prefix/executions", "{\"date\": \"2026-11-19\"}");
            assertThat(day.statusCode()).as(day.body()).isEqualTo(202);
            assertThat(JSON.readTree(day.body()).path("source").asString()).isEqualTo("s3://my-bucket/calls/2026/11/19/");

            HttpResponse<String> yesterday = send(serve.port(), "POST", "/api/jobs/sample-s3-prefix/executions", null);
            assertThat(yesterday.statusCode()).as(yesterday.body()).isEqualTo(202);
            String expected = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString().replace('-', '/');
            assertThat(JSON.readTree(yesterday.body()).path("source").asString()).isEqualTo("s3://my-bucket/calls/" + expected + "/");
        }
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode job(JsonNode jobs, String name) {
        for (JsonNode job : jobs) {
            if (job.path("name").asString().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no job " + name + " in " + jobs);
    }
}
