package dev.calleval.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.webhook.WebhookSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * R4 (issue 7): attacks on the real webhook receiver ({@code POST /webhooks/bluejay} on the real web server, the
 * state store behind it), each answered with the right status and storing nothing it should not; then the API key
 * and the webhook secret are searched for in everything calleval printed (stdout and stderr of this class, including
 * whole {@code run} commands at DEBUG against a sandbox that checks the key, signs its webhooks and injects faults) and
 * in every report file, and never found. {@code bench/r4-webhook-attacks.sh} drives the same attacks against a
 * separate {@code calleval run} process and prints them as a table.
 *
 * <p>A 10 MB body, signed or not, with a {@code Content-Length} or chunked: 413 before the signature is checked,
 * nothing stored, the connection closed (a body announced as 10 MB is refused after its first bytes; a chunked one once
 * it passes the limit, {@code calleval.webhook.max-body-size}); an event of exactly the limit is stored.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "BLUEJAY_WEBHOOK_SECRET=" + WebhookAttackReliabilityTests.SECRET,
        "BLUEJAY_API_KEY=" + WebhookAttackReliabilityTests.API_KEY,
        "spring.datasource.url=jdbc:h2:mem:webhook-attacks;DB_CLOSE_DELAY=-1",
        "calleval.cli.enabled=false",
        "logging.level.dev.calleval=DEBUG"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookAttackReliabilityTests {
    static final String SECRET = "whsec-r4-6c1f0a9e2b7d4c35";
    static final String API_KEY = "bj-live-r4-93d27e51a0c84f6b";
    private static final String WRONG_KEY = "bj-live-r4-wrong-0f4e2d1c";
    private static final Path EVALUATED = Path.of("sample-data/webhooks/observability_call_evaluated.json");
    private static final Path SAMPLE_MANIFEST = Path.of("sample-data/manifests/calls.csv").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final long SIXTY_FOUR_MB = 64L * 1024 * 1024;
    private static final long DEFAULT_LIMIT = DataSize.parse(WebhookSettings.DEFAULT_MAX_BODY_SIZE).toBytes();

    /** Everything written to stdout and stderr while this class runs. */
    private static final ByteArrayOutputStream PRINTED = new ByteArrayOutputStream();
    private static PrintStream originalOut;
    private static PrintStream originalErr;

    @TempDir
    static Path work;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private final URI endpoint;
    private final JdbcTemplate jdbc;

    WebhookAttackReliabilityTests(@LocalServerPort int port, @Autowired JdbcTemplate jdbc) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/webhooks/bluejay");
        this.jdbc = jdbc;
    }

    @BeforeAll
    static void capturePrintedOutput() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr), true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void restorePrintedOutput() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @BeforeEach
    void emptyTheInbox() {
        jdbc.update("DELETE FROM webhook_event");
    }

    @Test
    @Order(1)
    void unsignedEventIsRefusedAndNotStored() throws Exception {
        assertRefused(post(event("r4-unsigned"), null), 401);
    }

    @Test
    @Order(2)
    void forgedSignaturesAreRefusedAndNothingIsStored() throws Exception {
        byte[] body = event("r4-forged");
        String right = hmac(SECRET, body);

        assertRefused(post(body, hmac("guessed-secret", body)), 401);
        assertRefused(post(body, "0".repeat(64)), 401);
        assertRefused(post(body, right.substring(0, 32)), 401);
        assertRefused(post(body, "sha256=" + right.substring(0, 63) + (right.endsWith("0") ? "1" : "0")), 401);
        assertRefused(post(body, "not hex at all"), 401);
        assertRefused(post(body, ""), 401);
    }

    @Test
    @Order(3)
    void aSignatureOverADifferentBodyIsRefused() throws Exception {
        byte[] body = event("r4-swapped");
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"COMPLETED\"", "\"INCOMPLETED\"").getBytes(StandardCharsets.UTF_8);
        byte[] extended = (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);

        assertRefused(post(tampered, hmac(SECRET, body)), 401);
        assertRefused(post(extended, hmac(SECRET, body)), 401);
    }

    @Test
    @Order(4)
    void malformedJsonIsRefusedWhenSignedAndWhenNot() throws Exception {
        for (String text : List.of("{\"type\": \"observability_call_evaluated\", \"id\": ", "", "null", "[1,2]", "\"text\"", "{]", "\u0000\u0001")) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            assertRefused(post(body, hmac(SECRET, body)), 400);
            assertRefused(post(body, null), 401);
        }
    }

    @Test
    @Order(5)
    void tenMegabyteBodiesAreRefusedWith413BeforeTheirSignatureIsCheckedAndNothingIsStored() throws Exception {
        byte[] big = padded("r4-big", TEN_MB);
        byte[] bigGarbage = new byte[TEN_MB];

        assertRefused(postRaw(big, null), 413);
        assertRefused(postRaw(big, hmac("guessed-secret", big)), 413);
        assertRefused(postRaw(bigGarbage, hmac(SECRET, bigGarbage)), 413);
        assertRefused(postRaw(big, hmac(SECRET, big)), 413);
        assertRefused(postChunked(big, hmac(SECRET, big)), 413);

        byte[] small = event("r4-after-big");
        assertThat(post(small, hmac(SECRET, small)).statusCode()).as("the receiver still answers").isEqualTo(200);
    }

    @Test
    @Order(5)
    void aSignedEventOfExactlyTheLimitIsStoredWhole() throws Exception {
        byte[] atLimit = padded("r4-at-limit", (int) DEFAULT_LIMIT);

        HttpResponse<String> response = post(atLimit, hmac(SECRET, atLimit));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT LENGTH(body) FROM webhook_event", Long.class)).isEqualTo(DEFAULT_LIMIT);
    }

    @Test
    @Order(5)
    void aSenderThatKeepsWritingAnOversizedBodyGets413AndTheConnectionIsClosedLongBeforeTheBodyEnds() throws Exception {
        for (boolean chunked : List.of(false, true)) {
            Oversized sent = sendOversized(chunked);

            assertThat(sent.answer()).as(chunked ? "chunked" : "Content-Length").startsWith("HTTP/1.1 413");
            assertThat(sent.answer().toLowerCase()).contains("connection: close");
            assertThat(sent.bytesWritten()).as("the server stopped reading: the sender could not write the whole 64 MB")
                    .isLessThan(SIXTY_FOUR_MB);
        }
        assertThat(count()).isZero();
    }

    @Test
    @Order(6)
    void aReplayedEventIsAnsweredDuplicateAndStoredOnce() throws Exception {
        byte[] body = event("r4-replayed");
        String signature = hmac(SECRET, body);
        assertThat(JSON.readTree(post(body, signature).body()).path("status").asString()).isEqualTo("stored");

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> replay = post(body, signature);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(replay.body()).path("status").asString()).isEqualTo("duplicate");
        }
        byte[] reformatted = JSON.writeValueAsBytes(JSON.readTree(body)); // same event, other bytes: still the same event
        assertThat(JSON.readTree(post(reformatted, hmac(SECRET, reformatted)).body()).path("status").asString()).isEqualTo("duplicate");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_event", Long.class)).isEqualTo(1);
    }

    @Test
    @Order(7)
    void anUnknownTypeIsStoredAsSuchWhenSignedAndRefusedWhenNot() throws Exception {
        byte[] body = "{\"type\":\"account_deleted\",\"id\":\"r4-unknown\",\"status\":\"DONE\"}".getBytes(StandardCharsets.UTF_8);

        assertRefused(post(body, null), 401);
        HttpResponse<String> signed = post(body, hmac(SECRET, body));

        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForList("SELECT event_type FROM webhook_event", String.class)).containsExactly("account_deleted");
        assertThat(jdbc.queryForObject("SELECT call_id FROM webhook_event", String.class)).as("not taken for a call").isNull();
    }

    @Test
    @Order(8)
    void otherMethodsAndPathsStoreNothing() throws Exception {
        byte[] body = event("r4-method");
        String signature = hmac(SECRET, body);
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).header("X-Bluejay-Signature", signature);
            request.method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(method).isEqualTo(405);
        }
        HttpRequest other = HttpRequest.newBuilder(endpoint.resolve("/webhooks/other")).header("X-Bluejay-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        assertThat(http.send(other, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(count()).isZero();
    }

    @Test
    @Order(100)
    void theApiKeyAndTheWebhookSecretAppearInNoLogAndNoReport() throws Exception {
        int receiverPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            receiverPort = socket.getLocalPort();
        }
        Path reports = work.resolve("reports");
        Path job = work.resolve("secrets.yaml");
        Files.writeString(job, """
                name: secrets
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 0
                  max-in-flight: 4
                  chunk-size: 5
                  request-timeout: 3s
                  retry:
                    max-attempts: 4
                    initial-backoff: 50ms
                  in-doubt:
                    lookup-delay: 0s
                results:
                  poll-after: 5s
                  poll-interval: 200ms
                report:
                  directory: %s
                """.formatted(SAMPLE_MANIFEST, reports));
        String database = "jdbc:h2:mem:r4-secrets-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withApiKey(API_KEY).withoutWebhook())) {
            assertThat(CommandLine.run(database, settings(sandbox, WRONG_KEY, receiverPort), "run", job.toString()).exitCode())
                    .as("refused key").isEqualTo(1);
        }
        SandboxConfig faulty = SandboxConfig.defaults().withApiKey(API_KEY)
                .withWebhook(URI.create("http://127.0.0.1:" + receiverPort + "/webhooks/bluejay"), SECRET)
                .withFaults(SandboxConfig.Faults.none().withScriptedStatuses(429, 503, 0, -504).withRetryAfterSeconds(0));
        try (SandboxServer sandbox = SandboxServer.start(faulty)) {
            Map<String, Object> right = settings(sandbox, API_KEY, receiverPort);
            assertThat(CommandLine.run(database, right, "run", job.toString(), "--wait-for-results", "30s").exitCode()).isZero();
            assertThat(CommandLine.run(database, right, "status", "secrets").exitCode()).isZero();
            assertThat(sandbox.stats().webhooksSent()).as("signed webhooks went through the receiver").isEqualTo(15);
        }
        assertThat(JSON.readTree(reports.resolve("secrets/2/summary.json").toFile()).path("counts").path("evaluated").asLong()).isEqualTo(15);

        String printed = PRINTED.toString(StandardCharsets.UTF_8);
        assertThat(printed).as("this class printed the runs").contains("secrets — execution 2 — COMPLETED");
        for (String secret : List.of(API_KEY, WRONG_KEY, SECRET)) {
            assertThat(printed).as("stdout and stderr").doesNotContain(secret);
            try (Stream<Path> files = Files.walk(reports)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(secret);
                }
            }
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_event WHERE body LIKE ?", Long.class, "%" + SECRET + "%")).isZero();
    }

    private static Map<String, Object> settings(SandboxServer sandbox, String apiKey, int receiverPort) {
        return Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", apiKey, "BLUEJAY_WEBHOOK_SECRET", SECRET,
                "SERVER_PORT", Integer.toString(receiverPort), "logging.level.dev.calleval", "DEBUG");
    }

    private void assertRefused(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(count()).as("nothing stored").isZero();
    }

    private void assertRefused(int statusCode, int status) {
        assertThat(statusCode).isEqualTo(status);
        assertThat(count()).as("nothing stored").isZero();
    }

    private long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM webhook_event", Long.class);
        return n == null ? 0 : n;
    }

    private static byte[] event(String id) throws IOException {
        return Files.readString(EVALUATED).replace("5c5a2d43-1d37-5aed-b79c-0641b23b0607", id).getBytes(StandardCharsets.UTF_8);
    }

    /** A valid event of exactly {@code size} bytes: the sample with its summary padded. */
    private static byte[] padded(String id, int size) throws IOException {
        String event = new String(event(id), StandardCharsets.UTF_8).strip();
        String head = event.substring(0, event.length() - 1) + ",\"padding\":\"";
        String tail = "\"}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    /** What a raw sender of an oversized body read back, and how much of the body it managed to write. */
    private record Oversized(String answer, long bytesWritten) {}

    /**
     * Sends headers announcing a 64 MB body (with a {@code Content-Length}, or chunked), then writes the body from
     * another thread while this one reads the answer to the end of the connection.
     */
    private Oversized sendOversized(boolean chunked) throws Exception {
        byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        return exchange((chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + SIXTY_FOUR_MB + "\r\n"), (out, written) -> {
            while (written.get() < SIXTY_FOUR_MB) {
                if (chunked) {
                    out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(block);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                written.addAndGet(block.length);
            }
        });
    }

    /**
     * POSTs {@code body} with its {@code Content-Length} as a raw sender does, writing it from another thread while this
     * one reads the answer: a receiver that answers 413 from the header and closes is heard even when the connection is
     * reset under the rest of the body (an HTTP client that writes the whole body first may lose that answer).
     *
     * @return the status code of the answer
     */
    private int postRaw(byte[] body, @Nullable String signature) throws Exception {
        String headers = "Content-Length: " + body.length + "\r\nX-Bluejay-Delivery: " + UUID.randomUUID() + "\r\n"
                + (signature == null ? "" : "X-Bluejay-Signature: " + signature + "\r\n");
        Oversized answer = exchange(headers, (out, written) -> {
            out.write(body);
            written.addAndGet(body.length);
        });
        assertThat(answer.answer()).as("an HTTP answer").startsWith("HTTP/1.1 ");
        return Integer.parseInt(answer.answer().substring(9, 12));
    }

    /** Writes the body of a request. */
    private interface BodyWriter {
        void write(OutputStream out, java.util.concurrent.atomic.AtomicLong written) throws IOException;
    }

    /** A POST to the receiver: the headers, the body written from another thread, the answer read to the end. */
    private Oversized exchange(String headers, BodyWriter body) throws Exception {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/bluejay HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    body.write(out, written);
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // expected: the server closed the connection
                }
            });
            writer.start();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (IOException reset) {
                // the answer was read before the reset
            }
            writer.join(30_000);
            return new Oversized(answer.toString(StandardCharsets.UTF_8), written.get());
        }
    }

    /** {@link #post} without a Content-Length: the body is sent in chunks. */
    private HttpResponse<String> postChunked(byte[] body, @Nullable String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (signature != null) {
            request.header("X-Bluejay-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(byte[] body, @Nullable String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Bluejay-Delivery", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Bluejay-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes to the original stream and to {@link #PRINTED}. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;

        Tee(OutputStream original) {
            this.original = original;
        }

        @Override
        public void write(int b) throws IOException {
            original.write(b);
            synchronized (PRINTED) {
                PRINTED.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            original.write(b, off, len);
            synchronized (PRINTED) {
                PRINTED.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            original.flush();
        }
    }
}
