package dev.calleval.budget;

import dev.calleval.bluejay.BluejayAccount;
import dev.calleval.bluejay.RequestBudget;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One account's budget as this process draws on it; the state lives in the store, so every process on it shares the
 * same budget. A permit is, in order:
 * <ol>
 *   <li>a Bucket4j reservation in the account's bucket (capacity 1, refilled greedily every
 *       {@code 1/(0.985 × limit)}): permits are handed out in the order they were asked for, across processes, so no
 *       sliding second holds more than {@code limit + 1} of them and no execution starves; the wait is to the reserved
 *       instant itself, not to the database's answer plus the wait;</li>
 *   <li>a thread that wakes more than {@link #STALE_NANOS} after its permit was due (a loaded machine, a JVM still warming
 *       up) drops it and asks again, up to {@value #MAX_DROPPED} times in a row: sent that late it would arrive in the
 *       same server second as the permits after it;</li>
 *   <li>the cool-down: when a 429 with {@code Retry-After} set one (in any process), the permit is dropped, the thread
 *       waits until it ends and asks again (in order, so the requests after a cool-down are paced, not a burst);</li>
 *   <li>this process's send window at the account's limit ({@link RequestBudget#sendWindow}): no more than
 *       {@code floor(limit)} of this process's requests leave in any 1 s + 4 ms, however late its threads woke.</li>
 * </ol>
 * While the store cannot be reached, this process paces itself alone at the account's limit (one warning), rather than
 * fail the request. Thread-safe.
 */
final class SharedAccount {
    private static final Logger log = LoggerFactory.getLogger(SharedAccount.class);

    /**
     * Permits {@code 1/(0.985 × limit)} apart: {@code limit} permits span 1.015 s, so a request may arrive up to 15 ms
     * later than the one {@code limit} places before it before the server counts one too many in a second. 1.5 %
     * headroom (the client's own limiter keeps 0.5 %), as the requests of several processes meet only at the server and
     * each process's wake-up jitter adds to the others'.
     */
    static final double HEADROOM = 0.985;

    /**
     * A permit used more than this after its due instant is dropped (10 ms: two thirds of the 15 ms the headroom leaves,
     * the rest for the hand-over to the HTTP client).
     */
    static final long STALE_NANOS = 10_000_000;

    /** Permits a thread may drop in a row for waking too late, before it sends on a late one anyway (no livelock). */
    static final int MAX_DROPPED = 5;

    private final BluejayAccount account;
    private final double perSecond;
    private final Bucket bucket;
    private final @Nullable RequestBudget sendWindow;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final WallClock wallClock;
    /** The end of the latest cool-down this process knows of (epoch ms): set by a 429 here, or read from the store. */
    private volatile long coolDownUntilMs;
    /** Pacing while the store cannot be reached: this process alone at the account's limit. */
    private final RequestBudget fallback;
    private final AtomicBoolean storeLost = new AtomicBoolean();

    SharedAccount(BluejayAccount account, double perSecond, ProxyManager<String> buckets, JdbcTemplate jdbc, Clock clock) {
        this.account = account;
        this.perSecond = perSecond;
        this.jdbc = jdbc;
        this.clock = clock;
        this.wallClock = new WallClock(clock);
        long periodNanos = Math.max(1, Math.round(1_000_000_000d / (perSecond * HEADROOM)));
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofNanos(periodNanos)))
                .build();
        // a process started with another limit replaces the stored configuration (the version is the limit in mHz)
        this.bucket = buckets.builder()
                .withImplicitConfigurationReplacement(Math.round(perSecond * 1000), TokensInheritanceStrategy.AS_IS)
                .build(account.id(), () -> configuration);
        this.sendWindow = perSecond >= 1 ? RequestBudget.sendWindow(perSecond) : null;
        this.fallback = RequestBudget.local(perSecond);
        bucket.getAvailableTokens(); // the bucket's row exists before the first permit is asked for, by one thread
    }

    BluejayAccount account() {
        return account;
    }

    /** The account's limit, requests per second. */
    double perSecond() {
        return perSecond;
    }

    /**
     * Waits for the account's next permit (see the class documentation).
     *
     * @return nanoseconds waited
     */
    long acquire() throws InterruptedException {
        try {
            return acquireShared();
        } catch (BucketExceptions.BucketExecutionException | DataAccessException e) {
            // the store is out of reach (a restart, the H2 file's serving process gone): pace this process alone at the
            // account's limit rather than fail the request; the next permit asks the store again
            if (storeLost.compareAndSet(false, true)) {
                log.warn("Bluejay account {}: the shared budget's store cannot be reached ({}); this process paces itself at {}/s "
                        + "until it can", account, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""), perSecond);
            }
            return fallback.acquire();
        }
    }

    private long acquireShared() throws InterruptedException {
        long asked = System.nanoTime();
        int dropped = 0;
        while (true) {
            // Bucket4j reserves the permit at the time it read inside the row lock (the operation time) and tells how long
            // after that instant the permit is due: the thread waits to that instant itself, not to the answer plus the wait
            long[] due = new long[1];
            VerboseResult<?> reserved = bucket.asBlocking().asVerbose().consume(1, nanos -> due[0] = nanos);
            // the cool-down is read before the wait, so that nothing stands between the due instant and the send; one
            // set while this thread waits holds from its next permit on
            long coolDownMs = coolDownLeftMillis();
            if (coolDownMs <= 0) {
                long dueWall = reserved.getOperationTimeNanos() + due[0];
                parkUntilWall(dueWall);
                if (coolDownUntilMs > clock.millis()) {
                    continue; // a 429 in this process while this thread waited: ask again, after the cool-down
                }
                if (wallClock.currentTimeNanos() - dueWall > STALE_NANOS && dropped++ < MAX_DROPPED) {
                    continue; // woke too late: sent now, it would join the next permits' second at the server; ask again
                }
                break;
            }
            parkUntil(System.nanoTime() + coolDownMs * 1_000_000L); // this permit is dropped: ask again after the cool-down
        }
        if (sendWindow != null) {
            sendWindow.acquire();
        }
        storeLost.set(false);
        return System.nanoTime() - asked;
    }

    /** Sets the account's cool-down to end {@code retryAfter} from now, unless it already ends later. */
    void pause(Duration retryAfter) {
        long until = clock.millis() + retryAfter.toMillis();
        raiseLocal(until);
        try {
            pauseShared(until);
        } catch (DataAccessException e) {
            log.warn("Bluejay account {} answered 429: the cool-down holds in this process only, the store cannot be reached", account);
            return;
        }
        log.info("Bluejay account {} answered 429: its requests pause for {} ms in every execution", account, retryAfter.toMillis());
    }


    private void pauseShared(long until) {
        int updated = jdbc.update("UPDATE bluejay_budget_cooldown SET until_ms = ? WHERE account_id = ? AND until_ms < ?", until, account.id(), until);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO bluejay_budget_cooldown (account_id, until_ms) VALUES (?, ?)", account.id(), until);
            } catch (DuplicateKeyException exists) { // set already (by another process, or to a later end): raise it if earlier
                jdbc.update("UPDATE bluejay_budget_cooldown SET until_ms = ? WHERE account_id = ? AND until_ms < ?", until, account.id(), until);
            }
        }
    }

    /** Milliseconds left of the account's cool-down; 0 or less when none. */
    long coolDownLeftMillis() {
        Long until = jdbc.query("SELECT until_ms FROM bluejay_budget_cooldown WHERE account_id = ?",
                rs -> rs.next() ? rs.getLong(1) : null, account.id());
        if (until == null) {
            return coolDownUntilMs - clock.millis();
        }
        raiseLocal(until);
        return coolDownUntilMs - clock.millis();
    }

    private synchronized void raiseLocal(long until) {
        if (until > coolDownUntilMs) {
            coolDownUntilMs = until;
        }
    }

    /** Parks until the wall clock ({@link WallClock}'s nanoseconds since the epoch) reaches {@code wallNanos}. */
    private void parkUntilWall(long wallNanos) throws InterruptedException {
        parkUntil(System.nanoTime() + (wallNanos - wallClock.currentTimeNanos()));
    }

    private static void parkUntil(long deadlineNanos) throws InterruptedException {
        long now = System.nanoTime();
        while (now < deadlineNanos) {
            LockSupport.parkNanos(deadlineNanos - now);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the Bluejay account's budget");
            }
            now = System.nanoTime();
        }
    }
}
