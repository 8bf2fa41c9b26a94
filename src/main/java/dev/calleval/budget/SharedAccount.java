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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>one of this process's places in the queue ({@value #AHEAD} at 20/s: the permits of {@link #AHEAD_NANOS}, at
 *       least {@value #AHEAD}): at most that many of its threads hold a reserved permit at once, so the account's queue of reserved permits is short (a few per process, not one per thread in
 *       flight). Permits still go first come, first served across processes (no execution starves), a cool-down strands
 *       no long queue of reserved permits, and a permit's neighbours in the queue are near it in time;</li>
 *   <li>a Bucket4j reservation in the account's bucket ({@value #UNITS} units per permit, capacity one permit, refilled
 *       greedily at {@code 0.98 × limit} permits per second): no sliding second holds more than {@code limit} of them;
 *       the wait is to the reserved instant itself, not to the database's answer plus the wait;</li>
 *   <li>the cool-down: when a 429 with {@code Retry-After} set one (in any process), the permit is dropped, the thread
 *       waits until it ends and asks again, so the requests after a cool-down are paced, not a burst;</li>
 *   <li>lateness: a thread that wakes more than half a period after its permit was due drops it and asks again, up
 *       to {@value #MAX_DROPPED} times in a row (sent that late it would arrive among the next permits). And when the
 *       request reaches the network later than its permit (a garbage-collection pause or a starved thread between the
 *       permit and the socket: seen up to 150 ms in a JVM's first seconds), the transport says so
 *       ({@link #wireHook}) and the delay is added to the bucket as debt: the permits reserved after it move back by as
 *       much, so that the server never sees the permit {@code limit} places later less than a second after it;</li>
 *   <li>this process's send window at the account's limit ({@link RequestBudget#sendWindow}): no more than
 *       {@code floor(limit)} of this process's requests leave in any 1 s + 4 ms, however late its threads woke.</li>
 * </ol>
 * <p>While the store cannot be reached (one warning once it has been out of reach for {@link #STORE_QUIET_NANOS}, and
 * one line when it is back; a shorter blip is logged at debug only), requests wait for it up to
 * {@link #STORE_WAIT}, then this process paces itself alone at its share of the account's limit (the limit over
 * the executions last counted on the account), rather than fail the request. Thread-safe.
 */
final class SharedAccount {
    private static final Logger log = LoggerFactory.getLogger(SharedAccount.class);

    /**
     * Permits {@code 1/(0.98 × limit)} apart: {@code limit} permits span 1.02 s, so a request may reach the server up to
     * 20 ms later than the one {@code limit} places before it before the server counts one too many in a second. 2 %
     * headroom (the client's own limiter keeps 0.5 %), as the requests of several processes meet only at the server: the
     * wire debt below takes care of what happens before the socket; these 20 ms are for the rest (the way from the
     * socket to the server's clock: median 0.7 ms, but 15-27 ms now and then on a loaded 2-core host, where 1.5 %
     * headroom left one answer 429 in about 4,000 requests).
     */
    static final double HEADROOM = 0.98;

    /** Bucket units per permit: lateness is added to the bucket as debt in thousandths of a permit. */
    static final long UNITS = 1000;

    /** Threads of this process that may hold a reserved permit at once, at least. */
    static final int AHEAD = 2;

    /** How far ahead this process reserves permits: as many threads as the account's permits of 100 ms (at least {@link #AHEAD}). */
    static final long AHEAD_NANOS = 100_000_000;

    /**
     * Lateness at the wire that adds no debt (5 ms): every request's hand-over to the network takes 1-2 ms (median
     * measured, 90th percentile 3-5 ms), which moves all of them alike, and debt costs throughput (at 2 ms it took
     * ~1.5 % of the limit). The headroom's other 15 ms are left for the way from the socket to the server's clock
     * (median 0.7 ms, 99th percentile 4-10 ms measured on a loaded 2-core host).
     */
    static final long LATE_ALLOWED_NANOS = 5_000_000;

    /** At most this much lateness of one request is added to the bucket (a request held up longer is rare). */
    static final long MAX_DEBT_PERMITS = 4;

    /**
     * How long requests wait for a store that cannot be reached before this process paces itself alone (30 s): an H2
     * file changing hands as its serving process exits took up to 9.4 s on a loaded 2-core host, and a process pacing
     * itself alone meanwhile beside one already back on the store sends more than the account admits.
     */
    static final Duration STORE_WAIT = Duration.ofSeconds(30);

    /**
     * A store out of reach for less than this (1 s) is logged at debug only: while an H2 file changes hands, a first
     * failure is often answered again within 50 ms, and a warning with its "back" line for each would bury the one
     * that matters.
     */
    static final long STORE_QUIET_NANOS = 1_000_000_000L;

    /** How often a waiting request asks the store again. */
    static final long STORE_RETRY_NANOS = 200_000_000L;

    /** Permits a thread may drop in a row for waking too late, before it sends on a late one anyway (no livelock). */
    static final int MAX_DROPPED = 5;

    private final BluejayAccount account;
    private final double perSecond;
    private final long periodNanos;
    private final Bucket bucket;
    private final @Nullable RequestBudget sendWindow;
    private final Semaphore ahead;
    /** Half a period: a permit used later than this after its due instant is dropped (it would reach the server among the next). */
    private final long staleNanos;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final WallClock wallClock;
    /** The end of the latest cool-down this process knows of (epoch ms): set by a 429 here, or read from the store. */
    private volatile long coolDownUntilMs;
    /** Since when ({@link System#nanoTime}) the store cannot be reached; 0 while it can. */
    private final AtomicLong storeLostAt = new AtomicLong();
    /**
     * The outage ({@link #storeLostAt} value) last warned of (it lasted {@link #STORE_QUIET_NANOS}), so that its end is
     * told too; 0 when none. Keyed by the outage, so that a warning racing with the end of its outage cannot hide the
     * next one's.
     */
    private final AtomicLong warnedFor = new AtomicLong();
    /** Pacing while the store cannot be reached: this process alone at its share of the account's limit. */
    private volatile Alone outage;
    private volatile int executionsSeen = 1;
    private final long storeWaitNanos;
    /** The due instant (wall-clock nanoseconds) of the permit the current thread took last, until its wire hook is asked for. */
    private static final ThreadLocal<long[]> DUE = ThreadLocal.withInitial(() -> new long[1]);
    /** Lateness of this process's last requests not yet added to the bucket, in units. */
    private final AtomicLong debtUnits = new AtomicLong();

    SharedAccount(BluejayAccount account, double perSecond, ProxyManager<String> buckets, JdbcTemplate jdbc, Clock clock, Duration storeWait) {
        this.storeWaitNanos = storeWait.toNanos();
        this.account = account;
        this.perSecond = perSecond;
        this.jdbc = jdbc;
        this.clock = clock;
        this.wallClock = new WallClock(clock);
        this.periodNanos = Math.max(1, Math.round(1_000_000_000d / (perSecond * HEADROOM)));
        this.staleNanos = periodNanos / 2;
        this.ahead = new Semaphore((int) Math.max(AHEAD, Math.min(1000, AHEAD_NANOS / periodNanos)), true);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(UNITS).refillGreedy(UNITS, Duration.ofNanos(periodNanos)))
                .build();
        // a process started with another limit replaces the stored configuration (the version: this layout, then the
        // limit in mHz)
        this.bucket = buckets.builder()
                .withImplicitConfigurationReplacement(CONFIGURATION_LAYOUT + Math.round(perSecond * 1000), TokensInheritanceStrategy.AS_IS)
                .build(account.id(), () -> configuration);
        this.sendWindow = perSecond >= 1 ? RequestBudget.sendWindow(perSecond) : null;
        this.outage = Alone.at(perSecond);
        bucket.getAvailableTokens(); // the bucket's row exists before the first permit is asked for, by one thread
    }

    /** Added to the configuration's version: a store written with whole-permit tokens gets the units layout. */
    private static final long CONFIGURATION_LAYOUT = 1_000_000_000_000L;

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
        long asked = System.nanoTime();
        while (true) {
            try {
                acquireShared();
                long lostAt = storeLostAt.getAndSet(0);
                if (lostAt != 0) {
                    long lostMs = (System.nanoTime() - lostAt) / 1_000_000;
                    if (warnedFor.compareAndSet(lostAt, 0)) {
                        log.info("Bluejay account {}: the shared budget's store is back after {} ms", account, lostMs);
                    } else {
                        log.debug("Bluejay account {}: the shared budget's store answered again after {} ms", account, lostMs);
                    }
                }
                return System.nanoTime() - asked;
            } catch (BucketExceptions.BucketExecutionException | DataAccessException e) {
                // the store is out of reach: an H2 file changing hands as the process serving it exits (a second or
                // two), a database restart. Wait for it a while (sending now would be outside every other process's
                // count), then pace this process alone at its share of the account's limit rather than fail the request
                long now = System.nanoTime();
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                if (storeLostAt.compareAndSet(0, now)) {
                    outage = Alone.at(perSecond / executionsSeen);
                    log.debug("Bluejay account {}: the shared budget's store cannot be reached ({})", account, why);
                }
                long lostAt = storeLostAt.get();
                if (lostAt != 0 && now - lostAt >= Math.min(STORE_QUIET_NANOS, storeWaitNanos) && warnedFor.getAndSet(lostAt) != lostAt) {
                    log.warn("Bluejay account {}: the shared budget's store cannot be reached for {} ms ({}); requests wait up to {} s "
                            + "for it, then this process paces itself at {}/s (its share of the account) until it can", account,
                            (now - lostAt) / 1_000_000, why, storeWaitNanos / 1_000_000_000,
                            String.format(java.util.Locale.ROOT, "%.1f", outage.perSecond()));
                }
                if (lostAt != 0 && now - lostAt < storeWaitNanos) {
                    parkUntil(now + STORE_RETRY_NANOS);
                    continue;
                }
                outage.pacing().acquire();
                return System.nanoTime() - asked;
            }
        }
    }

    /**
     * The executions drawing on the account now, as an execution's member row last counted them: while the store cannot
     * be reached, this process paces itself at {@code limit / executions}.
     */
    void executionsSeen(int executions) {
        this.executionsSeen = Math.max(1, executions);
    }

    private void acquireShared() throws InterruptedException {
        ahead.acquire();
        try {
            int dropped = 0;
            long dueWall;
            while (true) {
                long owed = debtUnits.getAndSet(0);
                if (owed > 0) {
                    try {
                        bucket.consumeIgnoringRateLimits(owed);
                    } catch (RuntimeException storeLost) {
                        debtUnits.addAndGet(owed); // still owed: added by the next reservation that reaches the store
                        throw storeLost;
                    }
                }
                // Bucket4j reserves the permit at the time it read inside the row lock (the operation time) and tells how
                // long after that instant the permit is due: the thread waits to that instant itself, not to the answer
                // plus the wait
                long[] due = new long[1];
                VerboseResult<?> reserved = bucket.asBlocking().asVerbose().consume(UNITS, nanos -> due[0] = nanos);
                // the cool-down is read before the wait, so that nothing stands between the due instant and the send; one
                // set while this thread waits holds from its next permit on
                long coolDownMs = coolDownLeftMillis();
                if (coolDownMs > 0) {
                    parkUntil(System.nanoTime() + coolDownMs * 1_000_000L); // this permit is dropped: ask again after it
                    continue;
                }
                dueWall = reserved.getOperationTimeNanos() + due[0];
                parkUntilWall(dueWall);
                if (coolDownUntilMs > clock.millis()) {
                    continue; // a 429 in this process while this thread waited: ask again, after the cool-down
                }
                if (wallClock.currentTimeNanos() - dueWall > staleNanos && dropped++ < MAX_DROPPED) {
                    continue; // woke too late: sent now, it would join the next permits at the server; ask again
                }
                break;
            }
            if (sendWindow != null) {
                sendWindow.acquire();
            }
            DUE.get()[0] = dueWall;
        } finally {
            ahead.release();
        }
    }

    /**
     * What the transport runs when the request of the permit this thread took last reaches the network: how late that
     * was after the permit's due instant, beyond {@link #LATE_ALLOWED_NANOS}, is added to the bucket as debt (by
     * this process's next reservation, so that no round trip to the store stands in a request's way), and the permits
     * reserved from then on move back by as much, up to {@value #MAX_DEBT_PERMITS} permits.
     */
    Runnable wireHook() {
        long[] last = DUE.get();
        long dueWall = last[0];
        if (dueWall == 0) {
            return RequestBudget.NOTHING;
        }
        last[0] = 0;
        return () -> {
            long late = wallClock.currentTimeNanos() - dueWall;
            if (late > LATE_ALLOWED_NANOS) {
                debtUnits.addAndGet(Math.min(MAX_DEBT_PERMITS * UNITS, (late - LATE_ALLOWED_NANOS) * UNITS / periodNanos));
            }
            if (log.isTraceEnabled()) {
                log.trace("permit due {} on the wire {} late {} us", dueWall / 1000, (dueWall + late) / 1000, late / 1000);
            }
        };
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

    /** This process pacing itself alone while the store cannot be reached: at {@code perSecond}, its share. */
    private record Alone(double perSecond, RequestBudget pacing) {
        static Alone at(double perSecond) {
            return new Alone(perSecond, RequestBudget.local(perSecond));
        }
    }
}
