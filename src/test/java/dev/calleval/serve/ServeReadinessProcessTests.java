package dev.calleval.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CallevalProcess;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * {@code serve} from the jar, as Kubernetes runs it: {@code /actuator/health/readiness} answers 200 once serve has
 * started (webhook receiver, schedules, launch API), 503 while it drains after SIGTERM (liveness still 200), and the
 * process then exits 0. The Kubernetes example probes those paths on the container's port.
 */
class ServeReadinessProcessTests {
    private static final Duration START = Duration.ofMinutes(3); // a loaded CI machine; ~5 s on a quiet one
    private static final String READINESS = "/actuator/health/readiness";
    private static final String LIVENESS = "/actuator/health/liveness";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Readiness, polled until it answers 200; fails if it does not within {@code timeout}. */
    private HttpResponse<String> awaitReady(CallevalProcess serve, int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline && serve.isAlive()) {
            last = get(port, READINESS);
            if (last.statusCode() == 200) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("readiness never answered 200; last answer: " + (last == null ? "none" : last.statusCode() + " " + last.body())
                + "\nstderr:\n" + serve.err());
    }

    private Map<String, String> baseEnv() throws IOException {
        Files.createDirectories(work.resolve("jobs"));
        return Map.of("SERVER_PORT", "0", "CALLEVAL_DB_URL", "jdbc:h2:file:" + work.resolve("data/calleval"));
    }

    @Test
    void serveWithTheSandboxBecomesReadyAndExitsZeroOnSigterm() throws Exception {
        try (CallevalProcess serve = CallevalProcess.start(work, "serve", baseEnv(), "serve", "--sandbox")) {
            int port = serve.servePort(START);
            HttpResponse<String> ready = awaitReady(serve, port, Duration.ofSeconds(30));
            Duration readyAfter = serve.elapsed();

            assertThat(ready.body()).contains("\"readinessState\":{\"status\":\"UP\"}").contains("\"serve\":{\"details\":{\"state\":\"running\"},\"status\":\"UP\"}");
            assertThat(get(port, LIVENESS).statusCode()).isEqualTo(200);
            System.out.printf("serve --sandbox: ready after %d ms%n", readyAfter.toMillis());

            serve.terminate();
            CallevalProcess.Result stopped = serve.await(Duration.ofSeconds(90));
            assertThat(stopped.exitCode()).as(stopped.err()).isZero();
            assertThat(stopped.err()).contains("serve: stopped").doesNotContain("Exception");
            assertThat(stopped.out()).as("stdout: serve's own lines, no log line")
                    .startsWith("sandbox: Bluejay-compatible API at http://127.0.0.1:")
                    .contains("serve: listening on port " + port).doesNotContain("INFO").doesNotContain("WARN");
        }
    }

    @Test
    void readinessIsDownWhileServeDrainsARunningExecution() throws Exception {
        String apiKey = "bj-process-readiness-2c1f";
        String token = "launch-token-process-readiness";
        // one chunk of 15 calls sent one at a time, 400 ms each: SIGTERM lands in a chunk that takes seconds to end
        Files.createDirectories(work.resolve("jobs"));
        Files.writeString(work.resolve("jobs/slow.yaml"), """
                name: slow
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                  max-in-flight: 1
                  chunk-size: 15
                report:
                  directory: %s
                """.formatted(Path.of("sample-data/manifests/calls.csv").toAbsolutePath(), work.resolve("reports")));
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(apiKey).withLatency(Duration.ofMillis(400))
                .withoutWebhook())) {
            Map<String, String> env = new java.util.HashMap<>(baseEnv());
            env.putAll(Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", apiKey,
                    "BLUEJAY_WEBHOOK_SECRET", "whsec-process-readiness-9e41", "CALLEVAL_API_TOKEN", token));
            try (CallevalProcess serve = CallevalProcess.start(work, "serve", env, "serve")) {
                int port = serve.servePort(START);
                awaitReady(serve, port, Duration.ofSeconds(30));
                HttpResponse<String> launched = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/jobs/slow/executions"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (sandbox.stats().evaluateRequests() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(sandbox.stats().evaluateRequests()).as("the execution is sending").isPositive();

                serve.terminate();
                HttpResponse<String> draining = null;
                int livenessWhileDraining = 0;
                while (serve.isAlive()) {
                    HttpResponse<String> readiness;
                    try {
                        readiness = get(port, READINESS);
                    } catch (IOException closed) {
                        break; // the web server has closed: serve has drained
                    }
                    if (readiness.statusCode() == 503) {
                        draining = readiness;
                        livenessWhileDraining = get(port, LIVENESS).statusCode();
                        break;
                    }
                    Thread.sleep(20);
                }
                assertThat(draining).as("readiness answered 503 while serve drained; stderr:\n" + serve.err()).isNotNull();
                assertThat(draining.body()).contains("OUT_OF_SERVICE");
                assertThat(livenessWhileDraining).isEqualTo(200);

                CallevalProcess.Result stopped = serve.await(Duration.ofSeconds(120));
                assertThat(stopped.exitCode()).as(stopped.err()).isZero();
                assertThat(stopped.err()).contains("serve: stopping: readiness DOWN").contains("serve: stopped");
                assertThat(sandbox.stats().evaluateRequests()).as("the chunk was finished, not cut").isEqualTo(15);
            }
        }
    }

    @Test
    void theKubernetesExampleProbesReadinessAndLivenessOnTheServePort() throws IOException {
        List<PropertySource<?>> documents = new YamlPropertySourceLoader().load("kubernetes.yaml",
                new FileSystemResource(Path.of("jobs/deploy/kubernetes.yaml")));
        PropertySource<?> deployment = documents.stream().filter(d -> "Deployment".equals(String.valueOf(d.getProperty("kind")))).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment in jobs/deploy/kubernetes.yaml"));
        String container = "spec.template.spec.containers[0].";

        assertThat(deployment.getProperty(container + "args[0]")).isEqualTo("serve");
        assertThat(deployment.getProperty(container + "readinessProbe.httpGet.path")).isEqualTo(READINESS);
        assertThat(deployment.getProperty(container + "livenessProbe.httpGet.path")).isEqualTo(LIVENESS);
        Object port = deployment.getProperty(container + "ports[0].containerPort");
        assertThat(port).isEqualTo(8080);
        assertThat(deployment.getProperty(container + "readinessProbe.httpGet.port")).isEqualTo(port);
        assertThat(deployment.getProperty(container + "livenessProbe.httpGet.port")).isEqualTo(port);
        // 8080 is serve's port in the image: SERVER_PORT's default
        assertThat(Files.readString(Path.of("src/main/resources/application.yaml"))).contains("port: ${SERVER_PORT:8080}");
    }
}
