package dev.calleval.quality;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the alert URL ({@link AlertSettings}) about the regressions of a comparison: one POST of a JSON body
 * ({@code slack}: {@code {"text": "..."}}; {@code json}: job, executions, thresholds and each regression), retried on
 * 5xx, 429 and connection failures (Resilience4j Retry, exponential backoff from 500 ms), all within
 * {@code calleval.alerts.timeout}. Never throws and never fails its caller: an alert that cannot be delivered is one
 * WARN line, without the URL. Thread-safe.
 */
@Component
public class Alerts {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AlertSettings settings;

    public Alerts(AlertSettings settings) {
        this.settings = settings;
    }

    /** What became of an alert. */
    public enum Outcome {
        /** No URL configured, or nothing regressed: nothing sent. */
        NOT_SENT,
        /** The URL answered 2xx. */
        DELIVERED,
        /** Every attempt failed or the time ran out (logged as one warning). */
        FAILED
    }

    /** True when an alert URL is configured. */
    public boolean enabled() {
        return settings.enabled();
    }

    /** Sends the alert of {@code result} when it has regressions and a URL is configured; waits at most the timeout. */
    public Outcome send(CompareResult result) {
        if (!settings.enabled() || result.regressions().isEmpty()) {
            return Outcome.NOT_SENT;
        }
        String body = JSON.writeValueAsString(body(result, settings.format()));
        Retry retry = Retry.of("alert", RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(settings.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(500), 2.0))
                .retryOnResult(r -> r.statusCode() == 429 || r.statusCode() >= 500)
                .retryExceptions(IOException.class)
                .failAfterMaxAttempts(true)
                .build());
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url().strip())).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "calleval")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        CompletableFuture<HttpResponse<String>> sending = CompletableFuture.supplyAsync(() -> Retry.decorateCheckedSupplier(retry,
                () -> http.send(request, HttpResponse.BodyHandlers.ofString())).unchecked().get());
        try {
            HttpResponse<String> response = sending.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.statusCode() / 100 == 2) {
                log.info("{}: alert sent ({} regression(s))", result.job(), result.regressions().size());
                return Outcome.DELIVERED;
            }
            log.warn("{}: alert not delivered: the alert URL answered HTTP {}", result.job(), response.statusCode());
        } catch (TimeoutException e) {
            sending.cancel(true);
            log.warn("{}: alert not delivered within calleval.alerts.timeout ({})", result.job(),
                    dev.calleval.config.Durations.shown(settings.timeout()));
        } catch (ExecutionException e) {
            log.warn("{}: alert not delivered after {} attempt(s): {}", result.job(), settings.maxAttempts(), reason(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{}: alert not delivered: interrupted", result.job());
        }
        return Outcome.FAILED;
    }

    /** Why sending failed, in words that cannot hold the URL: the exception's type (and a status), never its message. */
    private static String reason(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t && (t instanceof RuntimeException && !(t instanceof io.github.resilience4j.retry.MaxRetriesExceededException))) {
            t = t.getCause();
        }
        if (t instanceof io.github.resilience4j.retry.MaxRetriesExceededException) {
            return "the alert URL kept answering 5xx or 429";
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (t instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return t.getClass().getSimpleName();
    }

    /** The body of an alert in {@code format}. */
    static Map<String, Object> body(CompareResult result, AlertSettings.Format format) {
        if (format == AlertSettings.Format.SLACK) {
            return Map.of("text", result.alertText());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "calleval.regression");
        body.put("job", result.job());
        body.put("baseline", result.baseline());
        body.put("candidate", result.candidate());
        body.put("sent_at", Instant.now().toString());
        body.put("summary", result.alertText());
        List<Map<String, Object>> regressions = result.regressions().stream().map(CompareResult::json).toList();
        body.put("regressions", regressions);
        return body;
    }
}
