package dev.calleval.monitoring;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.jobfile.BluejayClientFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.launch.JobRunner;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.webhook.WebhookSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator on the real web server, after a real run of the sample manifest against the sandbox (signed webhooks
 * back to this server): {@code /actuator/prometheus} holds the {@code calleval.*} meters with the run's figures,
 * {@code /actuator/health} shows db and bluejay UP (and bluejay DOWN when its URL is unreachable), only health, info
 * and prometheus are exposed, and neither endpoint shows the API key.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:monitoring-tests;DB_CLOSE_DELAY=-1",
        "calleval.cli.enabled=false",
        "calleval.progress.mode=off"})
class MonitoringIntegrationTests {
    private static final String API_KEY = "bj-live-obs-5e0c7d2a91b84f16";
    private static final String WEBHOOK_SECRET = "whsec-obs-2b9d4e7f1a6c";
    private static final Path SAMPLE_MANIFEST = Path.of("sample-data/manifests/calls.csv").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI actuator;
    private final URI webhooks;
    private final JobRunner runner;
    private final JobDefinitions jobs;
    private final BluejayClientFactory clients;
    private final WebhookSettings webhookSettings;
    private final BluejayHealthIndicator bluejayHealth;

    @TempDir
    Path work;

    MonitoringIntegrationTests(@LocalServerPort int port, @Autowired JobRunner runner, @Autowired JobDefinitions jobs,
            @Autowired BluejayClientFactory clients, @Autowired WebhookSettings webhookSettings,
            @Autowired BluejayHealthIndicator bluejayHealth) {
        this.actuator = URI.create("http://127.0.0.1:" + port + "/actuator");
        this.webhooks = URI.create("http://127.0.0.1:" + port + "/webhooks/bluejay");
        this.runner = runner;
        this.jobs = jobs;
        this.clients = clients;
        this.webhookSettings = webhookSettings;
        this.bluejayHealth = bluejayHealth;
    }

    @Test
    void aRunShowsInPrometheusAndHealthWithoutTheApiKey() throws Exception {
        Path job = work.resolve("watched.yaml");
        Files.writeString(job, """
                name: watched
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                  max-in-flight: 4
                  chunk-size: 4
                results:
                  poll-after: 30s
                report:
                  directory: %s
                """.formatted(SAMPLE_MANIFEST, work.resolve("reports")));
        JobDefinition.Evaluate definition = (JobDefinition.Evaluate) jobs.load(job.toString());
        webhookSettings.useSecret(WEBHOOK_SECRET);
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(API_KEY).withWebhook(webhooks, WEBHOOK_SECRET))) {
            BluejayClient client = clients.create(definition, sandbox.baseUri(), ApiKey.of(API_KEY));
            dev.calleval.report.JobOutcome<dev.calleval.report.RunSummary> outcome = runner.run(definition, client, Duration.ofSeconds(30));
            assertThat(outcome.completed()).isTrue();
            assertThat(outcome.summary().countsAddUp()).isTrue();

            String metrics = get("/prometheus").body();
            assertThat(metrics)
                    .contains("calleval_rows_read_total{job=\"watched\"} 15.0")
                    .contains("calleval_calls_submitted_total{job=\"watched\"} 15.0")
                    .contains("calleval_calls_rejected_total{job=\"watched\",origin=\"local\"} 0.0")
                    .contains("calleval_calls_rejected_total{job=\"watched\",origin=\"api\"} 0.0")
                    .contains("calleval_calls_failed_total{job=\"watched\"} 0.0")
                    .contains("calleval_calls_in_doubt_total{job=\"watched\"} 0.0")
                    .contains("calleval_bluejay_requests_seconds_count{endpoint=\"POST /v1/evaluate\",status=\"200\"} 15")
                    .contains("calleval_bluejay_requests_seconds_bucket{endpoint=\"POST /v1/evaluate\",status=\"200\",le=\"+Inf\"} 15")
                    .contains("calleval_bluejay_rate_limiter_wait_seconds_count 15")
                    .contains("calleval_webhook_events_total{result=\"stored\",type=\"observability_call_evaluated\"} 15.0")
                    .contains("calleval_calls_overdue 0.0")
                    .contains("calleval_calls_awaiting_results 0.0")
                    .doesNotContain("calleval_bluejay_too_many_requests_total")
                    .doesNotContain(API_KEY)
                    .doesNotContain(WEBHOOK_SECRET);

            bluejayHealth.use(sandbox.baseUri(), ApiKey.of(API_KEY));
            HttpResponse<String> up = get("/health");
            HttpResponse<String> again = get("/health");
            assertThat(up.statusCode()).isEqualTo(200);
            JsonNode health = JSON.readTree(up.body());
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("bluejay").path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").path("bluejay").path("details").path("url").asString()).isEqualTo(sandbox.baseUri().toString().replaceAll("/$", ""));
            assertThat(up.body() + again.body()).doesNotContain(API_KEY);
            assertThat(sandbox.stats().endpoint(SandboxEndpoint.PING).requests()).as("the second probe is answered from the cache").isEqualTo(1);
        }
    }

    @Test
    void bluejayIsDownWhenItsUrlCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        bluejayHealth.use(URI.create("http://127.0.0.1:" + closedPort), ApiKey.of(API_KEY));

        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asString()).isEqualTo("DOWN");
        assertThat(health.path("components").path("db").path("status").asString()).isEqualTo("UP");
        JsonNode bluejay = health.path("components").path("bluejay");
        assertThat(bluejay.path("status").asString()).isEqualTo("DOWN");
        assertThat(bluejay.path("details").path("error").asString()).contains("GET /v1/ping", "cannot connect to http://127.0.0.1:" + closedPort);
        assertThat(response.body()).doesNotContain(API_KEY);

        // the probes for Kubernetes do not depend on Bluejay: the receiver keeps taking webhooks through an outage
        HttpResponse<String> liveness = get("/health/liveness");
        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        HttpResponse<String> readiness = get("/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        assertThat(JSON.readTree(readiness.body()).path("components").propertyNames()).containsExactlyInAnyOrder("readinessState", "db");
    }

    @Test
    void onlyHealthInfoAndPrometheusAreExposed() throws Exception {
        JsonNode links = JSON.readTree(get("").body()).path("_links");
        assertThat(links.propertyNames()).containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
        for (String endpoint : List.of("env", "configprops", "beans", "metrics", "loggers", "heapdump", "threaddump", "mappings",
                "shutdown")) {
            assertThat(get("/" + endpoint).statusCode()).as(endpoint).isEqualTo(404);
        }
        assertThat(get("/info").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(actuator + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
