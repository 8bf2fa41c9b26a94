package dev.calleval.bluejay;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layers around each HTTP attempt of {@link BluejayClient}, as its class documentation describes them: circuit
 * breaker (evaluate only) → retry (the only layer that retries) → the {@link RequestBudget} (the client's own, or the
 * account's shared by every execution), which hears every 429; and, for requests
 * that are not idempotent, ambiguous failures turned into {@link RequestInDoubtException}. Counts retries and
 * requests left in doubt. Thread-safe.
 */
final class BluejayResilience {
    private static final Logger log = LoggerFactory.getLogger(BluejayClient.class);

    /** How long the account's requests pause after a 429 that came without a {@code Retry-After}. */
    static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);

    /** The wire hook of the permit the current thread's attempt took ({@link RequestBudget#wireHook}), for the transport. */
    private static final ThreadLocal<Runnable> WIRE_HOOK = ThreadLocal.withInitial(() -> RequestBudget.NOTHING);
    /** What the transport runs when the HTTP client takes the current thread's request body: the first attempt's gate. */
    private static final ThreadLocal<Runnable> BODY_TAKEN = ThreadLocal.withInitial(() -> RequestBudget.NOTHING);

    private final RequestBudget budget;
    /**
     * The client's first attempt goes alone until the HTTP client takes its body (its connection is open and its
     * headers written by then), or until it ends: the HTTP client's first use (its connection, classes loaded in a
     * fresh JVM) can take longer than several permit periods, and the permits taken behind it would then leave
     * together, more in one second than the server admits (seen as 11 requests within 2 ms at a run's start). Waiting
     * for the answer of a first request with a body cost an execution's first ~300 ms; one without a body (a lookup,
     * a ping) still goes alone until its answer, as nothing tells when it reaches the network.
     */
    private final AtomicBoolean firstTaken = new AtomicBoolean();
    private final CountDownLatch firstDone = new CountDownLatch(1);
    private final Retry retry;
    private final CircuitBreaker circuitBreaker;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();
    private final RequestListener listener;

    /**
     * What the transport runs when the current thread's attempt reaches the network: the wire hook of its permit
     * ({@link RequestBudget#wireHook}), or nothing outside a permit.
     */
    static Runnable wireHook() {
        return WIRE_HOOK.get();
    }

    /**
     * What the transport runs when the HTTP client takes the current thread's request body, after {@link #wireHook}:
     * lets the others go after the client's first attempt; nothing for the others.
     */
    static Runnable bodyTaken() {
        return BODY_TAKEN.get();
    }

    /** @param budget where each attempt takes its permit and reports a 429 */
    BluejayResilience(BluejayClientSettings settings, RequestListener listener, RequestBudget budget) {
        this.listener = listener;
        this.budget = budget;
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
        Supplier<T> limited = budget == RequestBudget.UNLIMITED ? guarded : () -> {
            boolean first = !firstTaken.getAndSet(true);
            try {
                try {
                    if (!first) {
                        firstDone.await();
                    }
                    listener.rateLimiterWaited(budget.acquire());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("not sent: interrupted while waiting for the rate limit", e);
                }
                WIRE_HOOK.set(budget.wireHook());
                if (first) {
                    BODY_TAKEN.set(firstDone::countDown); // its body taken: the send path is warm, the others go
                }
                try {
                    return guarded.get();
                } finally {
                    WIRE_HOOK.remove();
                    BODY_TAKEN.remove();
                }
            } catch (TransientApiException e) {
                if (e.status() == 429) { // the account's budget pauses for everyone, not only this request's retry
                    budget.pause(e.retryAfter() != null ? e.retryAfter() : DEFAULT_PAUSE);
                }
                throw e;
            } finally {
                if (first) {
                    firstDone.countDown(); // answered, failed or never sent (when its body was taken, they went then)
                }
            }
        };
        return Retry.decorateSupplier(retry, limited);
    }
}
