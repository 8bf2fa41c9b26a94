package dev.calleval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the sandbox tests share: a loopback HTTP client, sandboxes and webhook receivers closed after each test,
 * and polling helpers. One instance per test (a field of the test class), closed in {@code @AfterEach}.
 */
final class SandboxTestSupport implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "test-key";
    static final String SECRET = "whsec-test";
    static final Duration WAIT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    SandboxServer start(SandboxConfig config) throws IOException {
        SandboxServer sandbox = SandboxServer.start(config);
        toClose.add(sandbox);
        return sandbox;
    }

    HttpResponse<String> get(SandboxServer sandbox, String path) throws IOException, InterruptedException {
        return send(request(sandbox, path, KEY).GET());
    }

    HttpResponse<String> post(SandboxServer sandbox, String path, String body)
            throws IOException, InterruptedException {
        return send(request(sandbox, path, KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpRequest.Builder request(SandboxServer sandbox, String path, @Nullable String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(sandbox.baseUri().resolve(path)).timeout(WAIT);
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GETs {@code path} and parses the 200 answer. */
    JsonNode getJson(SandboxServer sandbox, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(sandbox, path);
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** POSTs {@code body} to {@code path} and parses the 200 answer. */
    JsonNode postJson(SandboxServer sandbox, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = post(sandbox, path, body);
        assertThat(response.statusCode()).as("POST " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Polls {@code GET path} until the condition holds on the parsed answer (5 s at most). */
    JsonNode await(SandboxServer sandbox, String path, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode answer = getJson(sandbox, path);
            if (condition.test(answer)) {
                return answer;
            }
            assertThat(System.nanoTime()).as("condition on " + path + " within 5 s, last: " + answer)
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Waits until the condition holds (5 s at most). */
    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** A webhook endpoint on loopback answering 200 and verifying nothing: tests check the signature. */
    Receiver receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        server.createContext("/webhooks/bluejay", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(body, exchange.getRequestHeaders().getFirst("X-Bluejay-Signature"),
                    exchange.getRequestHeaders().getFirst("X-Bluejay-Event")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        Receiver receiver = new Receiver(server, deliveries);
        toClose.add(receiver);
        return receiver;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    static String hmacHex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One webhook as received: raw body and the headers the tests check. */
    record Delivery(byte[] body, @Nullable String signature, @Nullable String event) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        /** Whether {@code X-Bluejay-Signature} is the HMAC-SHA256 of the raw body under {@link #SECRET}. */
        boolean signedWith(String secret) {
            return hmacHex(secret, body).equals(signature);
        }
    }

    /** A loopback webhook receiver. */
    record Receiver(HttpServer server, BlockingQueue<Delivery> deliveries) implements AutoCloseable {
        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/bluejay");
        }

        /** The next delivery, failing the test if none comes within 5 s. */
        Delivery next() throws InterruptedException {
            Delivery delivery = deliveries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(delivery).as("a webhook within 5 s").isNotNull();
            return delivery;
        }

        /** The next delivery of {@code type}, skipping others. */
        Delivery next(String type) throws InterruptedException {
            while (true) {
                Delivery delivery = next();
                if (type.equals(delivery.event())) {
                    return delivery;
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
