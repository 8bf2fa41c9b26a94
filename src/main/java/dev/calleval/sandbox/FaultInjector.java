package dev.calleval.sandbox;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The request faults of {@link SandboxConfig.Faults}: before processing (scripted statuses, the rate limit,
 * connection resets, server errors) and after it (accept-then-fail, accept-then-reset). Thread-safe; draws from the
 * random source it shares with the webhook faults, so a seed reproduces a whole run.
 */
final class FaultInjector {

    private final SandboxConfig.Faults faults;
    private final Random random;
    private final Map<SandboxEndpoint, RollingWindowLimiter> limiters = new EnumMap<>(SandboxEndpoint.class);
    private final AtomicInteger scriptedIndex = new AtomicInteger();

    FaultInjector(SandboxConfig.Faults faults, Random random) {
        this.faults = faults;
        this.random = random;
        if (faults.rateLimitPerSecond() > 0) {
            for (SandboxEndpoint endpoint : SandboxEndpoint.values()) {
                limiters.put(endpoint, new RollingWindowLimiter(faults.rateLimitPerSecond()));
            }
        }
    }

    /** Whether the faults apply to requests of this endpoint. */
    boolean appliesTo(SandboxEndpoint endpoint) {
        return faults.appliesTo(endpoint);
    }

    /** The scripted status of the next faulted request, {@link SandboxConfig.Faults#PASS} once the script ran out. */
    int nextScriptedStatus() {
        List<Integer> script = faults.scriptedStatuses();
        int index = scriptedIndex.getAndUpdate(i -> i < script.size() ? i + 1 : i);
        return index < script.size() ? script.get(index) : SandboxConfig.Faults.PASS;
    }

    /**
     * Applies the scripted status (unless it is {@code PASS} or {@code ACCEPT_THEN_FAIL}, which answer after
     * processing), the rate limit, resets and the server error rate; an answer if one applied.
     *
     * @param arrivedNanos when the request arrived ({@link System#nanoTime}): the instant the rate limit counts
     */
    @Nullable Answer before(SandboxEndpoint endpoint, int scripted, long arrivedNanos) {
        if (scripted != SandboxConfig.Faults.PASS && scripted != SandboxConfig.Faults.ACCEPT_THEN_FAIL) {
            return scripted == SandboxConfig.Faults.RESET ? Answer.reset("scripted", false)
                    : fault(scripted, Answer.reasonPhrase(scripted), "scripted");
        }
        RollingWindowLimiter limiter = limiters.get(endpoint);
        if (limiter != null && !limiter.tryAcquire(arrivedNanos)) {
            return fault(429, "Rate limit exceeded: at most " + faults.rateLimitPerSecond()
                    + " requests per second", "rate_limit");
        }
        if (faults.connectionResetRate() > 0 && random.nextDouble() < faults.connectionResetRate()) {
            return Answer.reset("connection_reset", false);
        }
        if (faults.serverErrorRate() > 0 && random.nextDouble() < faults.serverErrorRate()) {
            return fault(503, Answer.reasonPhrase(503), "server_error");
        }
        return null;
    }

    /**
     * For a request that was processed by an endpoint with in-doubt faults: a 504 (scripted or by
     * {@code acceptThenFailRate}) or a reset (by {@code acceptThenResetRate}) replacing its answer, else the answer.
     */
    Answer after(SandboxEndpoint endpoint, int scripted, Answer answer) {
        if (answer.processed() && endpoint.inDoubtFaults()) {
            if (scripted == SandboxConfig.Faults.ACCEPT_THEN_FAIL
                    || (faults.acceptThenFailRate() > 0 && random.nextDouble() < faults.acceptThenFailRate())) {
                return new Answer(504, Answer.detail(Answer.reasonPhrase(504)), Map.of(), true, "accept_then_fail");
            }
            if (faults.acceptThenResetRate() > 0 && random.nextDouble() < faults.acceptThenResetRate()) {
                return Answer.reset("accept_then_reset", true);
            }
        }
        return answer;
    }

    private Answer fault(int status, String detail, String name) {
        Answer answer = Answer.of(status, Answer.detail(detail)).withFault(name);
        if (status == 429 || status == 503) {
            answer = answer.withHeader("Retry-After", String.valueOf(faults.retryAfterSeconds()));
        }
        return answer;
    }
}
