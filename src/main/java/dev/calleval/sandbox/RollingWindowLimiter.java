package dev.calleval.sandbox;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Admits at most {@code limit} events per rolling second: an event is admitted when fewer than {@code limit}
 * admitted events happened in the preceding second. Rejected events do not count. Thread-safe.
 */
final class RollingWindowLimiter {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final int limit;
    private final ArrayDeque<Long> admitted = new ArrayDeque<>();

    RollingWindowLimiter(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        while (!admitted.isEmpty() && nowNanos - admitted.peekFirst() >= WINDOW_NANOS) {
            admitted.pollFirst();
        }
        if (admitted.size() >= limit) {
            return false;
        }
        admitted.addLast(nowNanos);
        return true;
    }
}
