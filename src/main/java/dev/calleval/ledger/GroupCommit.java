package dev.calleval.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits ledger updates made by many threads together ("group commit"). {@link #run} hands the update to one
 * committer thread and blocks until the transaction holding it has committed, so when it returns the update is as
 * durable as if it had been committed alone; but the updates of all threads that finish at about the same time share
 * one commit. Nothing waits on purpose: the committer takes every update queued while the previous commit was being
 * written (at most {@value #MAX_BATCH}).
 *
 * <p>Why: with a durable H2 store ({@code WRITE_DELAY=0}) every commit writes a new chunk to the file, and H2 keeps
 * each chunk (in the file and in memory) for its retention time of 45 s; one commit per call made that the largest
 * cost of sending a call and let the file grow by gigabytes in a long run.
 *
 * <p>When a batch fails (one update breaks a constraint, say), it is rolled back and each of its updates runs again in
 * its own transaction, so only the failing update's caller sees the exception. Thread-safe.
 */
public final class GroupCommit implements AutoCloseable {
    /** The most updates in one transaction. */
    static final int MAX_BATCH = 256;

    private final TransactionTemplate transaction;
    private final BlockingQueue<Update> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();

    /** @param transaction the transaction each batch runs in (propagation REQUIRED) */
    GroupCommit(TransactionTemplate transaction, String threadName) {
        this.transaction = transaction;
        this.committer = new Thread(this::commitLoop, threadName);
        this.committer.setDaemon(true);
        this.committer.start();
    }

    private record Update(Runnable work, CompletableFuture<@Nullable Void> done) {}

    /**
     * Runs {@code work} (ledger updates) in a transaction shared with other threads' updates and returns once it has
     * committed. After {@link #close}, runs it in a transaction of its own.
     *
     * @throws RuntimeException what {@code work} threw, when it fails on its own
     */
    public void run(Runnable work) {
        if (closed) {
            transaction.executeWithoutResult(status -> work.run());
            return;
        }
        Update update = new Update(work, new CompletableFuture<>());
        queue.add(update);
        if (closed && queue.remove(update)) { // closed meanwhile: the committer may have stopped before taking it
            runAlone(update);
        }
        try {
            update.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private void commitLoop() {
        List<Update> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Update first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Update left; // interrupted: whatever is still queued runs in the caller's own transaction
        while ((left = queue.poll()) != null) {
            runAlone(left);
        }
    }

    private void commit(List<Update> batch) {
        try {
            transaction.executeWithoutResult(status -> batch.forEach(u -> u.work().run()));
            transactions.incrementAndGet();
            batch.forEach(u -> u.done().complete(null));
        } catch (RuntimeException | Error batchFailed) {
            batch.forEach(this::runAlone);
        }
    }

    private void runAlone(Update update) {
        try {
            transaction.executeWithoutResult(status -> update.work().run());
            update.done().complete(null);
        } catch (RuntimeException | Error e) {
            update.done().completeExceptionally(e);
        }
    }

    /** Batches committed so far. */
    long transactions() {
        return transactions.get();
    }

    /** Updates waiting for the committer. */
    int queued() {
        return queue.size();
    }

    /** Commits what is queued, then stops the committer thread; later {@link #run} calls commit on their own. */
    @Override
    public void close() {
        closed = true;
        try {
            committer.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
