package dev.calleval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class SandboxServerTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "test-key";
    private static final Duration FAST = Duration.ofMillis(100);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    // ------------------------------------------------------------------------------------------ evaluate

    @Test
    void acceptsValidCallAndCompletesItWithTranscriptMetrics() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults().withEvaluationDelay(FAST));

        HttpResponse<String> response = post(sandbox, "/v1/evaluate", validBody().toString(), KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("status").asString()).isEqualTo("success");
        assertThat(answer.path("message").asString()).isNotBlank();
        String callId = answer.path("call_id").asString();
        assertThat(UUID.fromString(callId).toString()).isEqualTo(callId);

        JsonNode early = retrieve(sandbox, callId);
        assertThat(early.path("status").asString()).isEqualTo("200");
        assertThat(early.path("call_log").path("status").asString()).isIn("QUEUED", "EVALUATING", "COMPLETED");

        JsonNode log = awaitCallLog(sandbox, callId, l -> l.path("status").asString().equals("COMPLETED"));
        assertThat(log.path("id").asString()).isEqualTo(callId);
        assertThat(log.path("agent_id").asString()).isEqualTo("1234");
        assertThat(log.path("external_agent_id").isNull()).isTrue();
        assertThat(log.path("recording_url").asString()).isEqualTo("https://storage.example.com/calls/prod-778899.wav");
        assertThat(log.path("start_time_utc").asString()).isEqualTo("2026-08-01T14:03:22Z");
        assertThat(log.path("participants")).hasSize(2);
        assertThat(log.path("call_direction").asString()).isEqualTo("INBOUND");
        assertThat(log.path("interface").asString()).isEqualTo("PHONE");
        assertThat(log.path("duration_ms").asLong()).isEqualTo(9000);
        assertThat(log.path("tags").get(0).asString()).isEqualTo("batch-2026-08-01");
        assertThat(log.path("tool_calls").get(0).path("output").path("status").asString()).isEqualTo("shipped");
        assertThat(log.path("metadata").path("calleval_source_id").asString()).isEqualTo("manifest.csv#2");
        assertThat(log.has("annotations")).isTrue();
        assertThat(log.has("transcript")).isFalse();

        JsonNode evaluations = log.path("evaluations");
        assertThat(evaluations).hasSize(1);
        JsonNode evaluation = evaluations.get(0);
        // AGENT 0-2400, USER 2900-5200, AGENT 5600-6100 (filler), AGENT 7350-9000
        assertThat(evaluation.path("num_turns").asInt()).isEqualTo(3);
        // agent 2400 + 500 + 1650 = 4550 ms, user 2300 ms: 4550 / 6850 = 66.42 %
        assertThat(evaluation.path("agent_speak_percentage").asDouble()).isEqualTo(66.4);
        // the user stops at 5200, the agent answers at 5600 (filler): 0.4 s; first real answer at 7350: 2.15 s
        assertThat(evaluation.path("avg_agent_latency").asDouble()).isEqualTo(0.4);
        assertThat(evaluation.path("latency").path("max_agent_latency").asDouble()).isEqualTo(0.4);
        assertThat(evaluation.path("latency").path("p90_agent_latency").asDouble()).isEqualTo(0.4);
        assertThat(evaluation.path("filler_ignored_latency").path("avg_filler_ignored_latency").asDouble())
                .isEqualTo(2.15);
        for (String judged : List.of("hallucination", "redundancy", "goal_success", "call_summary", "sentiment_label",
                "sentiment_score", "pronunciation_score", "custom_metrics")) {
            assertThat(evaluation.has(judged)).as(judged).isTrue();
            assertThat(evaluation.path(judged).isNull()).as(judged).isTrue();
        }
        SandboxStats stats = sandbox.stats();
        assertThat(stats.evaluateRequests()).isEqualTo(1);
        assertThat(stats.evaluateAccepted()).isEqualTo(1);
        assertThat(stats.retrieveRequests()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void acceptsTheEvaluateCallAliasAndExternalAgentIds() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults().withEvaluationDelay(Duration.ZERO));
        ObjectNode body = validBody();
        body.remove("agent_id");
        body.put("external_agent_id", "acme-support");
        body.remove("transcript");

        HttpResponse<String> response = post(sandbox, "/v1/evaluate-call", body.toString(), KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        String callId = JSON.readTree(response.body()).path("call_id").asString();
        JsonNode log = awaitCallLog(sandbox, callId, l -> l.path("status").asString().equals("COMPLETED"));
        assertThat(log.path("external_agent_id").asString()).isEqualTo("acme-support");
        assertThat(log.path("agent_id").asString()).matches("[0-9]{6}");
        assertThat(log.path("duration_ms").isNull()).isTrue();
        JsonNode evaluation = log.path("evaluations").get(0);
        assertThat(evaluation.has("agent_speak_percentage")).isTrue();
        assertThat(evaluation.path("agent_speak_percentage").isNull()).isTrue();
        assertThat(evaluation.has("avg_agent_latency")).isTrue();
        assertThat(evaluation.path("avg_agent_latency").isNull()).isTrue();
        assertThat(evaluation.path("num_turns").isNull()).isTrue();
    }

    @Test
    void rejectsInvalidBodyWith422ListingEveryError() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults());
        ObjectNode body = validBody();
        ((ArrayNode) body.get("participants")).remove(1);
        body.put("call_direction", "SIDEWAYS");
        body.putArray("custom_metrics").add("not-a-uuid");
        body.put("recording_url", "https://storage.example.com/" + "a".repeat(2100) + ".wav");

        HttpResponse<String> response = post(sandbox, "/v1/evaluate", body.toString(), KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode detail = JSON.readTree(response.body()).path("detail");
        List<String> reported = new ArrayList<>();
        for (JsonNode item : detail) {
            assertThat(item.path("msg").asString()).isNotBlank();
            assertThat(item.has("input")).isTrue();
            reported.add(item.path("type").asString() + " " + item.path("loc"));
        }
        assertThat(reported).containsExactly(
                "url_too_long [\"body\",\"CallRequestUsingAgentId\",\"recording_url\"]",
                "too_short [\"body\",\"CallRequestUsingAgentId\",\"participants\"]",
                "enum [\"body\",\"CallRequestUsingAgentId\",\"call_direction\"]",
                "uuid_parsing [\"body\",\"CallRequestUsingAgentId\",\"custom_metrics\",0]",
                "missing [\"body\",\"CallRequestUsingExternalAgentId\",\"external_agent_id\"]",
                "url_too_long [\"body\",\"CallRequestUsingExternalAgentId\",\"recording_url\"]",
                "too_short [\"body\",\"CallRequestUsingExternalAgentId\",\"participants\"]",
                "enum [\"body\",\"CallRequestUsingExternalAgentId\",\"call_direction\"]",
                "uuid_parsing [\"body\",\"CallRequestUsingExternalAgentId\",\"custom_metrics\",0]");
        assertThat(detail.get(1).path("msg").asString())
                .isEqualTo("List should have at least 2 items after validation, not 1");
        assertThat(detail.get(2).path("msg").asString()).isEqualTo("Input should be 'INBOUND' or 'OUTBOUND'");
        assertThat(sandbox.stats().evaluateRejected422()).isEqualTo(1);
        assertThat(sandbox.stats().evaluateAccepted()).isZero();
    }

    @Test
    void rejectsMalformedJsonAsFastApiJsonInvalid() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults());

        HttpResponse<String> response = post(sandbox, "/v1/evaluate", "{\"agent_id\": \"1\",}", KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode item = JSON.readTree(response.body()).path("detail").get(0);
        assertThat(item.path("type").asString()).isEqualTo("json_invalid");
        assertThat(item.path("loc").get(0).asString()).isEqualTo("body");
        assertThat(item.path("loc").get(1).isInt()).isTrue();
        assertThat(item.path("msg").asString()).isEqualTo("JSON decode error");
    }

    @Test
    void rejectsEmptyBodyAsMissing() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults());

        HttpResponse<String> response = post(sandbox, "/v1/evaluate", "", KEY);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode item = JSON.readTree(response.body()).path("detail").get(0);
        assertThat(item.path("type").asString()).isEqualTo("missing");
        assertThat(item.path("loc").toString()).isEqualTo("[\"body\"]");
    }

    // ------------------------------------------------------------------------------------------ auth

    @Test
    void rejectsMissingOrBlankApiKeyWith401() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults());

        HttpResponse<String> missing = post(sandbox, "/v1/evaluate", validBody().toString(), null);
        HttpResponse<String> blank = post(sandbox, "/v1/evaluate", validBody().toString(), "   ");
        HttpResponse<String> retrieveMissing = send(HttpRequest.newBuilder()
                .uri(sandbox.baseUri().resolve("/v1/retrieve-call-log/" + UUID.randomUUID())).GET());

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(missing.body()).path("detail").isString()).isTrue();
        assertThat(blank.statusCode()).isEqualTo(401);
        assertThat(retrieveMissing.statusCode()).isEqualTo(401);
        assertThat(sandbox.stats().evaluateAccepted()).isZero();
    }

    @Test
    void acceptsOnlyTheConfiguredApiKey() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults().withApiKey("right-key"));

        assertThat(post(sandbox, "/v1/evaluate", validBody().toString(), "wrong-key").statusCode()).isEqualTo(401);
        assertThat(post(sandbox, "/v1/evaluate", validBody().toString(), "right-key").statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------ webhooks

    @Test
    void sendsSignedWebhookWhoseSignatureVerifiesOverTheRawBody() throws Exception {
        WebhookReceiver receiver = receiver(200);
        String secret = "whsec-test";
        SandboxServer sandbox = start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ofMillis(50))
                .withWebhook(receiver.uri(), secret));

        String callId = JSON.readTree(post(sandbox, "/v1/evaluate", validBody().toString(), KEY).body())
                .path("call_id").asString();
        Delivery delivery = receiver.deliveries.poll(5, TimeUnit.SECONDS);

        assertThat(delivery).isNotNull();
        assertThat(delivery.header("X-Bluejay-Signature")).isEqualTo(hmacHex(secret, delivery.body()));
        assertThat(delivery.header("Content-Type")).isEqualTo("application/json");
        assertThat(delivery.header("User-Agent")).isEqualTo("Bluejay-Sandbox/1");
        assertThat(delivery.header("X-Bluejay-Event")).isEqualTo("observability_call_evaluated");
        assertThat(UUID.fromString(delivery.header("X-Bluejay-Delivery"))).isNotNull();
        JsonNode event = JSON.readTree(delivery.body());
        assertThat(event.path("type").asString()).isEqualTo("observability_call_evaluated");
        assertThat(event.path("id").asString()).isEqualTo(callId);
        assertThat(event.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(event.path("metadata").path("calleval_source_id").asString()).isEqualTo("manifest.csv#2");
        assertThat(event.path("metadata").path("customer_tier").asString()).isEqualTo("gold");
        assertThat(event.path("evaluations").get(0).path("num_turns").asInt()).isEqualTo(3);
        awaitStats(sandbox, s -> s.webhooksSent() == 1);
        assertThat(sandbox.stats().webhookFailures()).isZero();
    }

    @Test
    void retriesWebhookUntilTheReceiverAcceptsIt() throws Exception {
        WebhookReceiver receiver = receiver(500, 200);
        SandboxServer sandbox = start(SandboxConfig.defaults()
                .withEvaluationDelay(Duration.ZERO)
                .withWebhook(receiver.uri(), null));

        post(sandbox, "/v1/evaluate", validBody().toString(), KEY);
        Delivery first = receiver.deliveries.poll(5, TimeUnit.SECONDS);
        Delivery second = receiver.deliveries.poll(5, TimeUnit.SECONDS);

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(second.header("X-Bluejay-Delivery")).isNotEqualTo(first.header("X-Bluejay-Delivery"));
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(first.header("X-Bluejay-Signature")).isNull();
        awaitStats(sandbox, s -> s.webhooksSent() == 1);
        assertThat(sandbox.stats().webhookFailures()).isZero();
    }

    // ------------------------------------------------------------------------------------------ faults

    @Test
    void answersScriptedStatusesWithRetryAfterThenAccepts() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withScriptedStatuses(429, 503).withRetryAfterSeconds(2)));

        HttpResponse<String> first = post(sandbox, "/v1/evaluate", validBody().toString(), KEY);
        HttpResponse<String> second = post(sandbox, "/v1/evaluate", validBody().toString(), KEY);
        HttpResponse<String> third = post(sandbox, "/v1/evaluate", validBody().toString(), KEY);

        assertThat(first.statusCode()).isEqualTo(429);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(JSON.readTree(first.body()).path("detail").isString()).isTrue();
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(third.statusCode()).isEqualTo(200);
        SandboxStats stats = sandbox.stats();
        assertThat(stats.evaluateRequests()).isEqualTo(3);
        assertThat(stats.evaluateAccepted()).isEqualTo(1);
        assertThat(stats.evaluateArrivals()).hasSize(3);
    }

    @Test
    void answers429AboveTheRateLimitAndRecordsEveryArrival() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withRateLimitPerSecond(2)));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(post(sandbox, "/v1/evaluate", validBody().toString(), KEY).statusCode());
        }

        assertThat(statuses).containsExactly(200, 200, 429, 429);
        assertThat(sandbox.stats().evaluateArrivals()).hasSize(4);
        assertThat(sandbox.stats().maxRequestsInAnySlidingSecond()).isEqualTo(4);
    }

    @Test
    void theRateLimitCountsARequestWhenItArrivesNotWhenItsBodyHasCome() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withRateLimitPerSecond(1)));
        byte[] body = validBody().toString().getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.CompletableFuture<String> slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            // its headers now, its body 1.2 s later: it arrived first
            try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), sandbox.baseUri().getPort())) {
                java.io.OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/evaluate HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(1200);
                out.write(body);
                out.flush();
                return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, own);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sandbox.stats().evaluateRequests() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10); // until the first has arrived (its headers read)
        }
        assertThat(sandbox.stats().evaluateRequests()).as("the first arrived").isEqualTo(1);
        Thread.sleep(300);
        int second = post(sandbox, "/v1/evaluate", validBody().toString(), KEY).statusCode(); // whole, 0.3 s after the first arrived

        assertThat(slow.get(10, TimeUnit.SECONDS)).as("the first to arrive is admitted").startsWith("HTTP/1.1 200");
        assertThat(second).as("the second, within a second of it, is refused").isEqualTo(429);
        assertThat(sandbox.stats().maxRequestsInAnySlidingSecond()).isEqualTo(2);
        own.shutdown();
    }

    @Test
    void answers503AtFullServerErrorRateAndResetsScriptedConnections() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults()
                .withFaults(SandboxConfig.Faults.none().withScriptedStatuses(0).withServerErrorRate(1.0)));

        assertThatThrownBy(() -> post(sandbox, "/v1/evaluate", validBody().toString(), KEY))
                .isInstanceOf(IOException.class);
        HttpResponse<String> failed = post(sandbox, "/v1/evaluate", validBody().toString(), KEY);

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(failed.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(sandbox.stats().evaluateRequests()).isEqualTo(2);
    }

    @Test
    void addsConfiguredLatencyWithoutSerialisingRequests() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults().withLatency(Duration.ofMillis(300)));

        long started = System.nanoTime();
        var pending = new ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 8; i++) {
            pending.add(http.sendAsync(request(sandbox, "/v1/ping", KEY).GET().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var response : pending) {
            assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(elapsedMs).isBetween(300L, 1500L);
    }

    // ------------------------------------------------------------------------------------------ other routes

    @Test
    void answersPingUnknownPathsAndWrongMethodsLikeFastApi() throws Exception {
        SandboxServer sandbox = start(SandboxConfig.defaults());

        HttpResponse<String> ping = send(request(sandbox, "/v1/ping", KEY).GET());
        HttpResponse<String> unknown = send(request(sandbox, "/v1/nope", KEY).GET());
        HttpResponse<String> wrongMethod = send(request(sandbox, "/v1/evaluate", KEY).GET());
        HttpResponse<String> unknownCall = send(
                request(sandbox, "/v1/retrieve-call-log/" + UUID.randomUUID(), KEY).GET());

        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"detail\":\"Not Found\"}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
        assertThat(unknownCall.statusCode()).isEqualTo(404);
        assertThat(unknownCall.body()).isEqualTo("{\"detail\":\"Call log not found\"}");
    }

    // ------------------------------------------------------------------------------------------ stats

    @Test
    void maxRequestsInAnySlidingSecondCountsHalfOpenOneSecondWindows() {
        Instant t = Instant.parse("2026-08-01T00:00:00Z");
        List<Instant> arrivals = List.of(
                t.plusMillis(1150), t, t.plusMillis(200), t.plusMillis(400), t.plusMillis(600),
                t.plusMillis(1000), t.plusMillis(1100), t.plusMillis(2500));

        // [0.2 s, 1.2 s) holds 0.2, 0.4, 0.6, 1.0, 1.1, 1.15
        assertThat(SandboxStats.maxInAnyWindow(arrivals, Duration.ofSeconds(1))).isEqualTo(6);
        assertThat(new SandboxStats(0, 0, 0, 0, 0, 0, arrivals).maxRequestsInAnySlidingSecond()).isEqualTo(6);
        // exactly one second apart: never in the same window
        assertThat(SandboxStats.maxInAnyWindow(List.of(t, t.plusSeconds(1), t.plusSeconds(2)), Duration.ofSeconds(1)))
                .isEqualTo(1);
        assertThat(SandboxStats.maxInAnyWindow(List.of(t, t.plusMillis(999)), Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(SandboxStats.maxInAnyWindow(List.of(t, t, t), Duration.ofSeconds(1))).isEqualTo(3);
        assertThat(SandboxStats.maxInAnyWindow(List.of(), Duration.ofSeconds(1))).isZero();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The example of API reference §1.8 with a 4-utterance transcript and the pipeline's correlation key. */
    static ObjectNode validBody() {
        return (ObjectNode) JSON.readTree("""
                {
                  "agent_id": "1234",
                  "start_time_utc": "2026-08-01T14:03:22Z",
                  "participants": [
                    {"role": "AGENT", "name": "Acme Assistant", "phone_number": "+15550001111"},
                    {"role": "USER", "phone_number": "+15552223333"}
                  ],
                  "recording_url": "https://storage.example.com/calls/prod-778899.wav",
                  "call_direction": "INBOUND",
                  "interface": "PHONE",
                  "transcript": [
                    {"start_offset_ms": 0, "end_offset_ms": 2400, "speaker": "AGENT",
                     "utterance": "Thanks for calling Acme, how can I help?"},
                    {"start_offset_ms": 2900, "end_offset_ms": 5200, "speaker": "USER",
                     "utterance": "Where is my order?"},
                    {"start_offset_ms": 5600, "end_offset_ms": 6100, "speaker": "AGENT",
                     "utterance": "One moment.", "filler_utterance": true},
                    {"start_offset_ms": 7350, "end_offset_ms": 9000, "speaker": "AGENT",
                     "utterance": "It shipped yesterday."}
                  ],
                  "tool_calls": [
                    {"name": "lookup_order", "start_offset_ms": 6000, "description": "Fetch order status",
                     "parameters": {"order_id": "A-1"}, "output": {"status": "shipped"}}
                  ],
                  "events": [{"title": "Hold", "start_offset_ms": 6100, "end_offset_ms": 9000, "tags": ["hold"]}],
                  "tags": ["batch-2026-08-01"],
                  "trace_id": "manifest.csv#2",
                  "metadata": {"calleval_source_id": "manifest.csv#2", "customer_tier": "gold"},
                  "custom_metric_tags": ["compliance"],
                  "conversation_ended_by": "USER",
                  "multichannel": true
                }
                """);
    }

    private SandboxServer start(SandboxConfig config) throws IOException {
        SandboxServer sandbox = SandboxServer.start(config);
        toClose.add(sandbox);
        return sandbox;
    }

    private HttpRequest.Builder request(SandboxServer sandbox, String path, @Nullable String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(sandbox.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(5));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    private HttpResponse<String> post(SandboxServer sandbox, String path, String body, @Nullable String apiKey)
            throws IOException, InterruptedException {
        return send(request(sandbox, path, apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode retrieve(SandboxServer sandbox, String callId) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(sandbox, "/v1/retrieve-call-log/" + callId, KEY).GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode awaitCallLog(SandboxServer sandbox, String callId, Predicate<JsonNode> condition)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            JsonNode log = retrieve(sandbox, callId).path("call_log");
            if (condition.test(log)) {
                return log;
            }
            assertThat(System.nanoTime()).as("call log condition within 5 s, last: " + log).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitStats(SandboxServer sandbox, Predicate<SandboxStats> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.test(sandbox.stats())) {
            assertThat(System.nanoTime()).as("stats condition within 5 s, last: " + sandbox.stats())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String hmacHex(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    record Delivery(byte[] body, Map<String, List<String>> headers) {
        @Nullable String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** A webhook endpoint on loopback answering the given statuses in order, then the last one forever. */
    record WebhookReceiver(HttpServer server, BlockingQueue<Delivery> deliveries) implements AutoCloseable {
        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/bluejay");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private WebhookReceiver receiver(int... statuses) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        server.createContext("/webhooks/bluejay", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(body, Map.copyOf(exchange.getRequestHeaders())));
            int status = statuses[Math.min(calls.getAndIncrement(), statuses.length - 1)];
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        WebhookReceiver receiver = new WebhookReceiver(server, deliveries);
        toClose.add(receiver);
        return receiver;
    }
}
