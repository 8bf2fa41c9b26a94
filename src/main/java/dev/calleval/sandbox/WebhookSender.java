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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Delivers webhooks the way the API reference §3 describes Bluejay's: a JSON POST with {@code Content-Type},
 * {@code User-Agent}, {@code X-Bluejay-Event} (the body's {@code type}), {@code X-Bluejay-Delivery} (a new UUID per
 * attempt) and, when a secret is configured, {@code X-Bluejay-Signature}: the lowercase hex HMAC-SHA256 of the
 * exact body bytes. A delivery is attempted up to 3 times — at once, after 200 ms, after 1 s more — while the
 * receiver answers non-2xx, times out (5 s) or cannot be reached; the {@link Listener} of the delivery hears about
 * every attempt.
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

    /** Hears how each attempt of one delivery went. Called on the HTTP client's threads. */
    @FunctionalInterface
    interface Listener {
        /**
         * One attempt finished.
         *
         * @param attempt 1 for the first attempt
         * @param status the receiver's HTTP status, or {@code null} after a timeout or connection error
         * @param delivered whether the receiver answered 2xx (no further attempt follows)
         * @param givenUp whether this failed attempt was the last one
         */
        void attempted(int attempt, @Nullable Integer status, boolean delivered, boolean givenUp);
    }

    WebhookSender(URI url, @Nullable String secret, ScheduledExecutorService scheduler, ExecutorService httpExecutor) {
        this.url = url;
        this.secret = secret;
        this.scheduler = scheduler;
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
     * @return completes when the first attempt has finished, whatever its outcome (or at once when the sandbox is
     *     closing)
     */
    CompletableFuture<Void> send(String eventType, byte[] body, Duration delay, Listener listener) {
        CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
        if (!schedule(() -> attempt(eventType, body, 0, listener, firstAttempt), delay)) {
            firstAttempt.complete(null);
        }
        return firstAttempt;
    }

    private void attempt(String eventType, byte[] body, int attempt, Listener listener,
            CompletableFuture<Void> firstAttempt) {
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
                        Integer status = error == null ? response.statusCode() : null;
                        boolean delivered = status != null && status / 100 == 2;
                        boolean givenUp = !delivered && attempt + 1 >= BACKOFF.size();
                        try {
                            listener.attempted(attempt + 1, status, delivered, givenUp);
                        } finally {
                            firstAttempt.complete(null);
                        }
                        if (delivered) {
                            return;
                        }
                        String outcome = error != null ? error.toString() : "HTTP " + status;
                        if (!givenUp) {
                            LOG.log(System.Logger.Level.DEBUG, "webhook delivery {0} to {1} failed ({2}), retrying",
                                    delivery, url, outcome);
                            schedule(() -> attempt(eventType, body, attempt + 1, listener, firstAttempt),
                                    BACKOFF.get(attempt + 1));
                        } else {
                            LOG.log(System.Logger.Level.WARNING,
                                    "webhook to {0} given up after {1} attempts, last: {2}", url, BACKOFF.size(),
                                    outcome);
                        }
                    });
        } catch (RejectedExecutionException | IllegalStateException e) {
            // the sandbox is closing
            firstAttempt.complete(null);
        }
    }

    /** Schedules a task; false when the sandbox is closing and pending deliveries are dropped. */
    private boolean schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
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
