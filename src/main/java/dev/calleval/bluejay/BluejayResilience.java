package dev.calleval.bluejay;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layers around each HTTP attempt of {@link BluejayClient}, as its class documentation describes them: circuit
 * breaker (evaluate only) → retry (the only layer that retries) → rate limiter → send window; and, for requests
 * that are not idempotent, ambiguous failures turned into {@link RequestInDoubtException}. Counts retries and
 * requests left in doubt. Thread-safe.
 */
final class BluejayResilience {
    private static final Logger log = LoggerFactory.getLogger(BluejayClient.class);

    /**
     * Added to the 1-second window of {@link SendWindow}: room for the jitter between our send and the server's
     * arrival. Below the 0.5 % headroom of the permits (5 ms in a second), so that paced requests never wait on it.
     */
    static final Duration SEND_WINDOW_MARGIN = Duration.ofMillis(4);

    private final @Nullable RateLimiter rateLimiter;
    private final @Nullable SendWindow sendWindow;
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();
    private final RequestListener listener;

    BluejayResilience(BluejayClientSettings settings, RequestListener listener) {
        this.listener = listener;
        this.rateLimiter = settings.requestsPerSecond() > 0 ? RateLimiter.of("bluejay", rateLimiterConfig(settings.requestsPerSecond())) : null;
        this.sendWindow = settings.requestsPerSecond() > 0 ? SendWindow.forRate(settings.requestsPerSecond(), SEND_WINDOW_MARGIN) : null;
        this.retry = Retry.of("bluejay", retryConfig(settings.retry()));
        this.retry.getEventPublisher().onRetry(event -> {
            retries.incrementAndGet();
            listener.retrying(event.getLastThrowable() instanceof BluejayApiException e ? e.operation() : "unknown");
            log.debug("retrying {} in {} ms (attempt {}): {}", event.getName(), event.getWaitInterval().toMillis(),
                    event.getNumberOfRetryAttempts() + 1, event.getLastThrowable().getMessage());
        });
        this.circuitBreaker = CircuitBreaker.of("bluejay-evaluate", CircuitBreakerConfig.custom()
                .slidingWindow(20, 20, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofSeconds(60))
                .recordException(e -> e instanceof TransientApiException || e instanceof RequestInDoubtException)
                .build());
    }

    /** Retries scheduled so far. */
    long retries() {
        return retries.get();
    }

    /** Requests left in doubt so far. */
    long inDoubt() {
        return inDoubt.get();
    }

    /** Runs {@code call} through the circuit breaker of evaluate; throws {@link CircuitOpenException} when it is open. */
    <T> T throughCircuitBreaker(String operation, Supplier<T> call) {
        try {
            return CircuitBreaker.decorateSupplier(circuitBreaker, call).get();
        } catch (CallNotPermittedException e) {
            throw new CircuitOpenException(operation, 20);
        }
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

    private static RetryConfig retryConfig(BluejayClientSettings.RetrySettings retry) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                retry.initialBackoff(), 2.0, 0.5, retry.maxBackoff());
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof TransientApiException t && t.retryAfter() != null) {
                long asked = Math.min(t.retryAfter().toMillis(), retry.maxRetryAfter().toMillis());
                return asked + ThreadLocalRandom.current().nextLong(0, 250); // spread the herd a little
            }
            return backoff.apply(attempt);
        };
        return RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(e -> e instanceof TransientApiException)
                .failAfterMaxAttempts(false)
                .build();
    }

    /**
     * Rate limiter inside retry. For a request that is not idempotent, an ambiguous failure becomes a
     * {@link RequestInDoubtException}, which the retry does not retry.
     */
    <T> Supplier<T> resilient(boolean idempotent, Supplier<T> attempt) {
        Supplier<T> guarded = idempotent ? attempt : () -> {
            try {
                return attempt.get();
            } catch (TransientApiException e) {
                if (e.requestMayHaveArrived()) {
                    inDoubt.incrementAndGet();
                    throw new RequestInDoubtException(e.operation(), e.status(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
                }
                throw e;
            } catch (PermanentApiException e) {
                if (e.status() >= 200 && e.status() < 300) { // acted on, but the answer (the new id) is unreadable
                    inDoubt.incrementAndGet();
                    throw new RequestInDoubtException(e.operation(), e.status(), e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e);
                }
                throw e;
            }
        };
        RateLimiter limiter = rateLimiter;
        SendWindow window = sendWindow;
        Supplier<T> limited = limiter == null ? guarded : () -> {
            long asked = System.nanoTime();
            RateLimiter.waitForPermission(limiter);
            if (window != null) {
                try {
                    window.awaitStart();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("not sent: interrupted while waiting for the rate limit", e);
                }
            }
            listener.rateLimiterWaited(System.nanoTime() - asked);
            return guarded.get();
        };
        return Retry.decorateSupplier(retry, limited);
    }
}
