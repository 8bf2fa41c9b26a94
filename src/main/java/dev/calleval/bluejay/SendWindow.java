package dev.calleval.bluejay;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Spaces request starts so that no window of {@code window} holds more than {@code limit} of them, measured at the
 * moment each request is handed to the HTTP client, after its rate-limiter permit.
 *
 * <p>The rate limiter spaces the permits exactly, but a thread that wakes late from its permit wait, or is
 * descheduled between the permit and the send, lets its request leave together with the next ones. A server that
 * counts arrivals in a rolling second (as Bluejay's limit is documented, and the sandbox enforces) then refuses the
 * one too many with 429, and the refused request has spent a permit: bench B1 lost 1-2 % of the limit this way.
 * Here the k-th start waits until {@code window} after the (k - limit)-th start, so bunching never adds up to more
 * than {@code limit} in a window; in steady state the permits are already further apart and nobody waits.
 *
 * <p>Starts are reserved in call order under a lock; the wait happens outside it. Thread-safe.
 */
final class SendWindow {
    private final long windowNanos;
    private final long[] starts;
    private final LongSupplier clock;
    private int next;
    private int filled;
    private long last = Long.MIN_VALUE;

    /**
     * @param limit starts allowed in any window, at least 1
     * @param window the window, e.g. 1 s plus a margin for the jitter between this send and the server's arrival
     * @param clock nanosecond clock ({@link System#nanoTime} in production)
     */
    SendWindow(int limit, Duration window, LongSupplier clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.windowNanos = window.toNanos();
        this.starts = new long[limit];
        this.clock = clock;
    }

    /**
     * The window for a client limited to {@code requestsPerSecond}: {@code floor(rate)} starts per second plus
     * {@code margin}; none (null) below 1 request per second, where the permits alone are a second or more apart.
     */
    static @Nullable SendWindow forRate(double requestsPerSecond, Duration margin) {
        int limit = (int) Math.floor(requestsPerSecond);
        return limit < 1 ? null : new SendWindow(limit, Duration.ofSeconds(1).plus(margin), System::nanoTime);
    }

    /**
     * Reserves the next start: the later of {@code now}, the previous start, and {@code window} after the start
     * {@code limit} places back.
     *
     * @return the reserved start, on the clock's scale (ns)
     */
    synchronized long reserve(long now) {
        long at = now;
        if (filled == starts.length) {
            at = Math.max(at, starts[next] + windowNanos);
        }
        if (last != Long.MIN_VALUE) {
            at = Math.max(at, last);
        }
        starts[next] = at;
        next = (next + 1) % starts.length;
        filled = Math.min(filled + 1, starts.length);
        last = at;
        return at;
    }

    /**
     * Reserves a start and waits for it.
     *
     * @return nanoseconds waited (0 when the start was free)
     * @throws InterruptedException when interrupted while waiting (the reserved start is then left unused)
     */
    long awaitStart() throws InterruptedException {
        long asked = clock.getAsLong();
        long at = reserve(asked);
        long now = asked;
        while (now < at) {
            LockSupport.parkNanos(this, at - now);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting to send");
            }
            now = clock.getAsLong();
        }
        return Math.max(0, at - asked);
    }
}
