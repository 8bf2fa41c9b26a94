package dev.calleval.bluejay;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One client's own pacing ({@link RequestBudget#local}): Resilience4j's rate limiter, then {@link SendWindow}.
 * Thread-safe.
 */
final class LocalRequestBudget implements RequestBudget {
    /**
     * Added to the 1-second window of {@link SendWindow}: room for the jitter between our send and the server's
     * arrival. Below the 0.5 % headroom of the permits (5 ms in a second), so that paced requests never wait on it.
     */
    static final Duration SEND_WINDOW_MARGIN = Duration.ofMillis(4);

    private final RateLimiter limiter;
    private final @Nullable SendWindow window;

    LocalRequestBudget(double requestsPerSecond) {
        this.limiter = RateLimiter.of("bluejay", rateLimiterConfig(requestsPerSecond));
        this.window = SendWindow.forRate(requestsPerSecond, SEND_WINDOW_MARGIN);
    }

    /**
     * A rate limiter that hands out one permit per {@code 1/rate} period. Resilience4j's limiter refreshes all
     * permits of a period at once; with one permit per period, any sliding second holds at most
     * {@code rate + 1} permits.
     */
    static RateLimiterConfig rateLimiterConfig(double requestsPerSecond) {
        // 0.5 % headroom: a server that admits exactly N per rolling second refuses a request now and then when they
        // arrive exactly 1/N apart (network jitter bunches them), and each refusal costs a Retry-After (bench B1)
        long periodNanos = Math.max(1, Math.round(1_000_000_000d / (requestsPerSecond * 0.995)));
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(periodNanos))
                .timeoutDuration(Duration.ofDays(1))
                .build();
    }

    @Override
    public long acquire() throws InterruptedException {
        long asked = System.nanoTime();
        RateLimiter.waitForPermission(limiter);
        if (window != null) {
            window.awaitStart();
        }
        return System.nanoTime() - asked;
    }
}
