package dev.calleval.ledger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import dev.calleval.database.DatabaseRetry;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Commits ledger updates made by many threads together ("group commit"). {@link #run} hands the update to one
 * committer thread and blocks until the transaction holding it has committed, so when it returns the update is as
 * durable as if it had been committed alone; but the updates of all threads that finish at about the same time share
 * one commit. The committer takes every update queued while the previous commit was being written (at most
 * {@value #MAX_BATCH}); when it knows how many callers are still working on an update (the requests in flight), it
 * also waits briefly (at most {@link #GATHER_NANOS}) for theirs, and not at all once they have all queued.
 *
 * <p>Why: with a durable H2 store ({@code WRITE_DELAY=0}) every commit writes a new chunk to the file, and H2 keeps
 * each chunk (in the file and in memory) for its retention time of 45 s; one commit per call made that the largest
 * cost of sending a call and let the file grow by gigabytes in a long run.
 *
 * <p>Updates of one {@link Kind} (e.g. "the API accepted this call") that meet in a transaction are applied together
 * by one call of {@link Kind#apply} (one JDBC batch, one statement prepared), not one statement each: {@link #run(Kind,
 * Object)}.
 *
 * <p>When a batch fails (one update breaks a constraint, say), it is rolled back and each of its updates runs again in
 * its own transaction, so only the failing update's caller sees the exception. When the database connection is lost,
 * the batch's transaction is run again (a {@link DatabaseRetry}) until the database is back or its tolerance is
 * spent; then every caller of the batch sees the failure. Thread-safe.
 */
public final class GroupCommit implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GroupCommit.class);
    /** The most updates in one transaction. */
    static final int MAX_BATCH = 256;

    private final TransactionTemplate transaction;
    private final BlockingQueue<Update> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong transactions = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong committed = new java.util.concurrent.atomic.AtomicLong();

    /** How long the committer waits at most for the updates of callers still working, before it commits. */
    static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(1500);

    private final IntSupplier working;
    private final DatabaseRetry retry;

    /** @param transaction the transaction each batch runs in (propagation REQUIRED) */
    GroupCommit(TransactionTemplate transaction, String threadName) {
        this(transaction, threadName, () -> 0);
    }

    /** A group commit whose transactions are not retried when the connection is lost. */
    GroupCommit(TransactionTemplate transaction, String threadName, IntSupplier working) {
        this(transaction, threadName, working, new DatabaseRetry(java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO));
    }

    /**
     * @param transaction the transaction each batch runs in (propagation REQUIRED)
     * @param working how many callers may hand over an update soon, counting those whose update is queued (the
     *     requests in flight): while fewer updates than that are queued, the committer waits up to
     *     {@link #GATHER_NANOS} for the others, so that they share the commit
     * @param retry runs each transaction again when the database connection was lost (the updates are conditional on
     *     the state they change, so a transaction run again changes nothing twice)
     */
    GroupCommit(TransactionTemplate transaction, String threadName, IntSupplier working, DatabaseRetry retry) {
        this.retry = retry;
        this.transaction = transaction;
        this.working = working;
        this.committer = new Thread(this::commitLoop, threadName);
        this.committer.setDaemon(true);
        this.committer.start();
    }

    /**
     * Updates of one kind that can be applied together: {@link #apply} gets the items of every caller whose update
     * is in the same transaction (in the order they were queued) and must apply each of them, all or none (it runs
     * inside the transaction; throwing rolls the transaction back). Use one instance per kind: items are grouped by
     * the instance.
     *
     * @param <T> one update's data
     */
    @FunctionalInterface
    public interface Kind<T> {
        /** Applies {@code items} (at least one) in the current transaction. */
        void apply(List<T> items);
    }

    /** One caller's update: {@code work} or ({@code kind}, {@code item}). */
    private record Update(@Nullable Runnable work, @Nullable Kind<Object> kind, @Nullable Object item, CompletableFuture<@Nullable Void> done) {
        void applyAlone() {
            if (work != null) {
                work.run();
            } else {
                Objects.requireNonNull(kind).apply(Collections.singletonList(item));
            }
        }
    }

    /**
     * Runs {@code work} (ledger updates) in a transaction shared with other threads' updates and returns once it has
     * committed. After {@link #close}, runs it in a transaction of its own.
     *
     * @throws RuntimeException what {@code work} threw, when it fails on its own
     */
    public void run(Runnable work) {
        enqueue(new Update(work, null, null, new CompletableFuture<>()));
    }

    /**
     * Applies {@code item} with the other items of {@code kind} that share its transaction (one {@link Kind#apply} for
     * all of them) and returns once it has committed. After {@link #close}, applies it in a transaction of its own.
     *
     * @throws RuntimeException what {@code kind} threw for this item applied on its own
     */
    @SuppressWarnings("unchecked")
    public <T> void run(Kind<T> kind, T item) {
        enqueue(new Update(null, (Kind<Object>) kind, item, new CompletableFuture<>()));
    }

    private void enqueue(Update update) {
        if (closed) {
            inTransaction(update::applyAlone);
            return;
        }
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
                gather(batch);
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

    /**
     * Adds the updates of the callers still working that arrive within {@link #GATHER_NANOS}: each commit writes the
     * pages it changed to the file (a durable H2 store writes a chunk per commit), so fewer, larger commits cost less
     * CPU per update. Returns at once when every working caller's update is in the batch.
     */
    private void gather(List<Update> batch) throws InterruptedException {
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (batch.size() < Math.min(MAX_BATCH, working.getAsInt())) {
            long left = deadline - System.nanoTime();
            Update next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private void commit(List<Update> batch) {
        try {
            inTransaction(() -> apply(batch));
            transactions.incrementAndGet();
            committed.addAndGet(batch.size());
            batch.forEach(u -> u.done().complete(null));
        } catch (RuntimeException | Error batchFailed) {
            if (DatabaseRetry.isConnectionLoss(batchFailed)) { // the database stayed unreachable: each alone would fail as well
                batch.forEach(u -> u.done().completeExceptionally(batchFailed));
                return;
            }
            batch.forEach(this::runAlone);
        }
    }

    /** Runs the plain updates in queue order, then each kind's items in one {@link Kind#apply}. */
    private static void apply(List<Update> batch) {
        Map<Kind<Object>, List<Object>> byKind = new LinkedHashMap<>();
        for (Update u : batch) {
            if (u.work() != null) {
                u.work().run();
            } else {
                byKind.computeIfAbsent(Objects.requireNonNull(u.kind()), k -> new ArrayList<>()).add(u.item());
            }
        }
        byKind.forEach(Kind::apply);
    }

    /** Runs {@code work} in a transaction of its own, again while the database connection is lost (up to the tolerance). */
    private void inTransaction(Runnable work) {
        retry.run("recording the outcome of calls in the ledger", () -> transaction.executeWithoutResult(status -> work.run()));
    }

    private void runAlone(Update update) {
        try {
            inTransaction(update::applyAlone);
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
        long n = transactions.get();
        if (n > 0) {
            log.debug("{}: {} updates in {} transactions ({} per transaction)", committer.getName(), committed.get(), n,
                    String.format(java.util.Locale.ROOT, "%.1f", committed.get() / (double) n));
        }
    }
}
