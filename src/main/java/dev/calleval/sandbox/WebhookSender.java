package dev.calleval.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Delivers webhooks the way the API reference §3 describes Bluejay's: a JSON POST with {@code Content-Type},
 * {@code User-Agent}, {@code X-Bluejay-Event} (the body's {@code type}), {@code X-Bluejay-Delivery} (a new UUID per
 * attempt) and, when a secret is configured, {@code X-Bluejay-Signature}: the lowercase hex HMAC-SHA256 of the
 * exact body bytes. A delivery is attempted up to 3 times — at once, after 200 ms, after 1 s more — while the
 * receiver answers non-2xx, times out (5 s) or cannot be reached; each 2xx counts in {@code sent}, each delivery
 * that exhausts its attempts in {@code failures}.
 *
 * <p>Thread-safe; attempts run on the given scheduler and the HTTP client's executor.
 */
final class WebhookSender {

    static final String USER_AGENT = "Bluejay-Sandbox/1";
    static final List<Duration> BACKOFF = List.of(Duration.ZERO, Duration.ofMillis(200), Duration.ofSeconds(1));
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(WebhookSender.class.getName());

    private final URI url;
    private final @Nullable String secret;
    private final ScheduledExecutorService scheduler;
    private final HttpClient client;
    private final AtomicLong sent;
    private final AtomicLong failures;

    WebhookSender(URI url, @Nullable String secret, ScheduledExecutorService scheduler, ExecutorService httpExecutor,
            AtomicLong sent, AtomicLong failures) {
        this.url = url;
        this.secret = secret;
        this.scheduler = scheduler;
        this.sent = sent;
        this.failures = failures;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .executor(httpExecutor)
                .build();
    }

    /**
     * Schedules one delivery of {@code body} after {@code delay}.
     *
     * @param eventType the body's {@code type}, sent as {@code X-Bluejay-Event}
     * @param body the exact bytes to send and sign
     */
    void send(String eventType, byte[] body, Duration delay) {
        schedule(() -> attempt(eventType, body, 0), delay);
    }

    private void attempt(String eventType, byte[] body, int attempt) {
        String delivery = UUID.randomUUID().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-Bluejay-Event", eventType)
                .header("X-Bluejay-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header("X-Bluejay-Signature", sign(body, secret));
        }
        try {
            client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        if (error == null && response.statusCode() / 100 == 2) {
                            sent.incrementAndGet();
                            return;
                        }
                        String outcome = error != null ? error.toString() : "HTTP " + response.statusCode();
                        if (attempt + 1 < BACKOFF.size()) {
                            LOG.log(System.Logger.Level.DEBUG, "webhook delivery {0} to {1} failed ({2}), retrying",
                                    delivery, url, outcome);
                            schedule(() -> attempt(eventType, body, attempt + 1), BACKOFF.get(attempt + 1));
                        } else {
                            failures.incrementAndGet();
                            LOG.log(System.Logger.Level.WARNING,
                                    "webhook to {0} given up after {1} attempts, last: {2}", url, BACKOFF.size(),
                                    outcome);
                        }
                    });
        } catch (RejectedExecutionException | IllegalStateException e) {
            // the sandbox is closing
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the sandbox is closing; pending deliveries are dropped
        }
    }

    /** The {@code X-Bluejay-Signature} value: lowercase hex HMAC-SHA256 of {@code body} keyed with {@code secret}. */
    static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
