package dev.calleval.budget;

import dev.calleval.bluejay.RequestBudget;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One execution's draw on its account's budget ({@link RequestBudget} of one client): its own limit first when
 * {@code submit.rate-limit} is below the account's (it can only lower its share), then the account's permit
 * ({@link SharedAccount}). Keeps a member row for the account while it sends (renewed at most once a second), so that
 * every execution's progress line can tell how many share the account. Thread-safe.
 */
final class ExecutionBudget implements RequestBudget {
    /** A member not renewed for this long no longer counts (its execution ended, or its process died). */
    static final long MEMBER_TIMEOUT_MS = 10_000;
    private static final long RENEW_MS = 1_000;
    private static final long RATE_WINDOW_MS = 5_000;

    private final SharedAccount account;
    private final RequestBudget own;
    private final double ownLimit;
    private final String memberId = UUID.randomUUID().toString();
    private final String jobName;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Deque<Long> permits = new ArrayDeque<>(); // epoch ms of the permits of the last RATE_WINDOW_MS
    private long renewedAt; // epoch ms; 0: never
    private volatile int executions = 1;

    /**
     * @param ownLimit the execution's {@code submit.rate-limit}; below the account's limit (and above 0) it paces this
     *     execution first
     */
    ExecutionBudget(SharedAccount account, double ownLimit, String jobName, JdbcTemplate jdbc, Clock clock) {
        this.account = account;
        boolean lower = ownLimit > 0 && ownLimit < account.perSecond();
        this.ownLimit = lower ? ownLimit : 0;
        this.own = lower ? RequestBudget.local(ownLimit) : RequestBudget.UNLIMITED;
        this.jobName = jobName.length() > 200 ? jobName.substring(0, 200) : jobName;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public long acquire() throws InterruptedException {
        long waited = own.acquire();
        renew();
        waited += account.acquire();
        synchronized (permits) {
            long now = clock.millis();
            permits.addLast(now);
            trim(now);
        }
        return waited;
    }

    @Override
    public Runnable wireHook() {
        return account.wireHook();
    }

    @Override
    public void pause(java.time.Duration retryAfter) {
        account.pause(retryAfter);
    }

    @Override
    public Share share() {
        long now = clock.millis();
        double rate;
        synchronized (permits) {
            trim(now);
            rate = permits.isEmpty() ? 0 : permits.size() * 1000d / RATE_WINDOW_MS;
        }
        return new Share(rate, account.perSecond(), executions, ownLimit);
    }

    private void trim(long now) {
        while (!permits.isEmpty() && permits.peekFirst() < now - RATE_WINDOW_MS) {
            permits.removeFirst();
        }
    }

    /** Renews the member row, at most once a second, and counts the account's members. */
    private void renew() {
        try {
            renewMember();
        } catch (org.springframework.dao.DataAccessException e) {
            // the member row is for the progress line only: the permit (SharedAccount) decides what happens without the store
        }
    }

    private void renewMember() {
        long now = clock.millis();
        synchronized (this) {
            if (now - renewedAt < RENEW_MS) {
                return;
            }
            renewedAt = now;
        }
        String accountId = account.account().id();
        if (jdbc.update("UPDATE bluejay_budget_member SET seen_at_ms = ? WHERE account_id = ? AND member_id = ?", now, accountId, memberId) == 0) {
            jdbc.update("INSERT INTO bluejay_budget_member (account_id, member_id, job_name, seen_at_ms) VALUES (?, ?, ?, ?)",
                    accountId, memberId, jobName, now);
            jdbc.update("DELETE FROM bluejay_budget_member WHERE account_id = ? AND seen_at_ms < ?", accountId, now - 60 * MEMBER_TIMEOUT_MS);
        }
        @Nullable Integer counted = jdbc.queryForObject("SELECT COUNT(*) FROM bluejay_budget_member WHERE account_id = ? AND seen_at_ms >= ?",
                Integer.class, accountId, now - MEMBER_TIMEOUT_MS);
        executions = Math.max(1, counted == null ? 1 : counted);
        account.executionsSeen(executions);
    }
}
