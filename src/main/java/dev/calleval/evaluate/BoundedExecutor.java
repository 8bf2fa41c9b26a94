package dev.calleval.evaluate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on at most {@code maxInFlight} daemon threads; {@link #execute} blocks while that many are running, which
 * is the backpressure that keeps a reader from getting ahead of the requests in flight. Used by the submit step and
 * the enrich step. Thread-safe.
 */
public final class BoundedExecutor implements AutoCloseable {
    private final int maxInFlight;
    private final Semaphore slots;
    private final ExecutorService workers;

    /** @param threadPrefix names the threads, e.g. {@code submit-12} → {@code submit-12-1} */
    public BoundedExecutor(String threadPrefix, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, got " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.slots = new Semaphore(maxInFlight);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(maxInFlight, r -> {
            Thread t = new Thread(r, threadPrefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code task} once a slot is free.
     *
     * @return false when interrupted while waiting for a slot: the task was not run
     */
    public boolean execute(Runnable task) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } finally {
                    slots.release();
                }
            });
            return true;
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    /** Tasks handed over and not finished yet (running, or about to run). */
    public int active() {
        return maxInFlight - slots.availablePermits();
    }

    /** Waits until every task handed over so far has finished. */
    public void awaitIdle() {
        try {
            slots.acquire(maxInFlight);
            slots.release(maxInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the running tasks (up to a minute after the last one started), then stops the threads. */
    @Override
    public void close() {
        awaitIdle();
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
