package dev.calleval.monitoring;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayApiSettings;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code bluejay} component of {@code /actuator/health}: whether Bluejay answers {@code GET /v1/ping} with this
 * process's API key. UP with {@code url} and {@code latency_ms}; DOWN with {@code url} and {@code error} when the API
 * cannot be reached, answers an error, or refuses the key; UNKNOWN when no API key is configured. The details never
 * hold the key (only the URL's scheme, host, port and path).
 *
 * <p>It pings the API this process uses: {@code BLUEJAY_BASE_URL} with {@code BLUEJAY_API_KEY}, or the sandbox once a
 * command with {@code --sandbox} has started one ({@link #use}). One ping, no retry, 3 s to connect and 5 s to answer;
 * the result is kept for {@code calleval.health.bluejay.cache} ({@link HealthSettings}, default 30s), so a storm of probes costs one request
 * per period (concurrent probes wait for the one in flight).
 */
@Component
public class BluejayHealthIndicator implements HealthIndicator {
    private static final BluejayClientSettings.RetrySettings NO_RETRY = new BluejayClientSettings.RetrySettings(1,
            Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(1));

    private final Clock clock;
    private final Duration cacheFor;
    private final BluejayRequestMetrics metrics;
    private @Nullable Target target;
    private @Nullable Health cached;
    private Instant cachedAt = Instant.MIN;

    /** The API pinged, and its client (created once per target). */
    private record Target(URI baseUrl, BluejayClient client) {}

    BluejayHealthIndicator(BluejayApiSettings api, HealthSettings settings, Clock clock, BluejayRequestMetrics metrics) {
        this.clock = clock;
        this.cacheFor = settings.cache();
        this.metrics = metrics;
        if (!api.apiKey().isBlank()) {
            try {
                use(URI.create(api.baseUrl().strip()), ApiKey.of(api.apiKey()));
            } catch (IllegalArgumentException e) {
                // a malformed BLUEJAY_BASE_URL: the commands say so; health reports it as unknown
            }
        }
    }

    /** From now on, ping {@code baseUrl} with {@code apiKey} (the sandbox a command started, or the real API). */
    public synchronized void use(URI baseUrl, ApiKey apiKey) {
        BluejayClient client = new BluejayClient(new BluejayClientSettings(baseUrl, apiKey, 0, Duration.ofSeconds(3),
                Duration.ofSeconds(5), NO_RETRY), metrics);
        target = new Target(baseUrl, client);
        cached = null;
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cachedAt.plus(cacheFor))) {
            return cached;
        }
        cached = ping();
        cachedAt = now;
        return cached;
    }

    private Health ping() {
        Target current = target;
        if (current == null) {
            return Health.unknown().withDetail("error", "BLUEJAY_API_KEY is not set").build();
        }
        String url = shown(current.baseUrl());
        long start = System.nanoTime();
        try {
            current.client().ping();
            return Health.up().withDetail("url", url).withDetail("latency_ms", (System.nanoTime() - start) / 1_000_000).build();
        } catch (AuthenticationFailedException e) {
            return Health.down().withDetail("url", url).withDetail("error", "the API key was refused (HTTP " + e.status() + ")").build();
        } catch (BluejayApiException e) {
            return Health.down().withDetail("url", url).withDetail("error", e.getMessage()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("url", url).withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }

    /** The URL without user info, query or fragment. */
    static String shown(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
