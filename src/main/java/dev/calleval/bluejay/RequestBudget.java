package dev.calleval.bluejay;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link BluejayClient} takes the permit for each HTTP attempt (first and retries), and where it reports a
 * 429. The client's own budget ({@link #local}) paces one client; the account's budget (dev.calleval.budget) is shared
 * by every client with the same base URL and API key, in this process and in every process on the same state store
 * (docs/rate-budget.md). Implementations are thread-safe.
 */
public interface RequestBudget {

    /**
     * Waits until one request may be sent.
     *
     * @return nanoseconds waited
     * @throws InterruptedException when interrupted while waiting (nothing may be sent then)
     */
    long acquire() throws InterruptedException;

    /**
     * Called on the thread that just returned from {@link #acquire()}: what the transport runs
     * when that permit's request reaches the network (its first bytes written, on whatever thread writes them). The
     * account's budget adds how late that was after the permit's due instant to the permits reserved after it, so that a
     * request held up after its permit (a garbage-collection pause, a starved thread) never leaves the server counting
     * one too many in a second. By default nothing.
     */
    default Runnable wireHook() {
        return NOTHING;
    }

    /** A hook that does nothing. */
    Runnable NOTHING = () -> {};

    /**
     * The server answered 429: the account's next requests wait at least {@code retryAfter} (its {@code Retry-After},
     * or a default when it sent none). The client's own retry of the refused request waits as well.
     */
    default void pause(Duration retryAfter) {}

    /** This budget's share of the account, for progress lines; null when the budget is not shared. */
    default @Nullable Share share() {
        return null;
    }

    /**
     * What an execution gets of its account's budget.
     *
     * @param permitsPerSecond permits this execution took per second over the last few seconds
     * @param accountPerSecond the account's limit (requests per second), all executions together
     * @param executions executions drawing on the account now, in every process on the store (at least 1)
     * @param ownLimit this execution's own limit ({@code submit.rate-limit}) when it is below the account's; 0: none
     */
    record Share(double permitsPerSecond, double accountPerSecond, int executions, double ownLimit) {

        /** E.g. {@code budget 9.9 of 20/s (2 executions)}. */
        public String shown() {
            return String.format(java.util.Locale.ROOT, "budget %.1f of %s/s (%d execution%s%s)", permitsPerSecond,
                    number(accountPerSecond), executions, executions == 1 ? "" : "s", ownLimit > 0 ? ", own limit " + number(ownLimit) + "/s" : "");
        }

        private static String number(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : String.format(java.util.Locale.ROOT, "%.1f", value);
        }
    }

    /** No limit: every request is sent at once. */
    RequestBudget UNLIMITED = () -> 0;

    /**
     * One client's own pacing at {@code requestsPerSecond} (0 = {@link #UNLIMITED}): permits {@code 1/(0.995 × rate)}
     * apart (Resilience4j's rate limiter, one permit per period), then {@link SendWindow}: no more than
     * {@code floor(rate)} starts in any 1 s + 4 ms, however late the threads woke.
     */
    static RequestBudget local(double requestsPerSecond) {
        return requestsPerSecond <= 0 ? UNLIMITED : new LocalRequestBudget(requestsPerSecond);
    }

    /**
     * Only the send window of {@link #local}: in this process, no more than {@code floor(requestsPerSecond)} starts in
     * any 1 s + 4 ms. The account's budget puts it after its shared permit.
     *
     * @throws IllegalArgumentException when {@code requestsPerSecond} is below 1
     */
    static RequestBudget sendWindow(double requestsPerSecond) {
        SendWindow window = SendWindow.forRate(requestsPerSecond, LocalRequestBudget.SEND_WINDOW_MARGIN);
        if (window == null) {
            throw new IllegalArgumentException("a send window needs at least 1 request per second, got " + requestsPerSecond);
        }
        return window::awaitStart;
    }
}
