package dev.calleval.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.calleval.TestDatabases;
import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayRateLimitSettings;
import dev.calleval.bluejay.RequestBudget;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The account's budget on a real store (H2, and PostgreSQL when available): two {@link AccountBudgets} on one store
 * stand for two processes, each with its own executions; they share one bucket, one cool-down and see each other as
 * members.
 */
class AccountBudgetsTests {
    private static final URI BLUEJAY = URI.create("https://api.getbluejay.ai");
    private static final ApiKey KEY = ApiKey.of("the-account-key-4b1d");

    private static BluejayRateLimitSettings limit(double perSecond) {
        return new BluejayRateLimitSettings(perSecond, List.of());
    }

    private static DataSource store(TestDatabases.Kind kind) {
        assumeTrue(kind.available(), TestDatabases.POSTGRES_SKIPPED);
        // pooled, as in calleval (Hikari): a new connection per statement would stand between a permit and its send
        com.zaxxer.hikari.HikariDataSource pooled = new com.zaxxer.hikari.HikariDataSource();
        pooled.setDataSource(kind.migratedDataSource("budget"));
        pooled.setMaximumPoolSize(12);
        return pooled;
    }

    /** Takes permits on {@code budget} from {@code threads} threads until {@code total} were taken by everyone; their instants (ms). */
    private static List<Long> drain(ExecutorService pool, RequestBudget budget, int threads, AtomicInteger left, List<Long> all, List<Future<?>> tasks) {
        List<Long> mine = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            tasks.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    budget.acquire();
                    long now = System.currentTimeMillis();
                    mine.add(now);
                    all.add(now);
                }
                return null;
            }));
        }
        return mine;
    }

    private static int busiestSecond(List<Long> instants) {
        List<Long> sorted = new ArrayList<>(instants);
        Collections.sort(sorted);
        int most = 0;
        for (int i = 0, j = 0; i < sorted.size(); i++) {
            while (sorted.get(i) - sorted.get(j) >= 1000) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void twoProcessesShareOneBudgetAndSplitItEvenly(TestDatabases.Kind kind) throws Exception {
        DataSource store = store(kind);
        AccountBudgets first = new AccountBudgets(limit(10), store);
        AccountBudgets second = new AccountBudgets(limit(10), store);
        RequestBudget nightly = first.forExecution(BLUEJAY, KEY, "nightly", 20); // its own 20/s cannot raise the account's 10
        RequestBudget onDemand = second.forExecution(BLUEJAY, KEY, "on-demand", 0);
        nightly.acquire(); // the first permit of each pays for loading classes after its instant: not what is measured here
        onDemand.acquire();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Long> all = Collections.synchronizedList(new ArrayList<>());
            List<Future<?>> tasks = new ArrayList<>();
            AtomicInteger left = new AtomicInteger(40);
            long start = System.nanoTime();
            List<Long> a = drain(pool, nightly, 4, left, all, tasks);
            List<Long> b = drain(pool, onDemand, 4, left, all, tasks);
            for (Future<?> task : tasks) {
                task.get(30, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(all).hasSize(40);
            // one budget of 10/s for both (each alone at 10/s would finish in 2 s): 40 permits 1/(0.99 x 10) apart
            assertThat(seconds).isGreaterThan(3.7);
            assertThat(busiestSecond(all)).isLessThanOrEqualTo(11);
            // permits are handed out in the order asked: neither starves, and with the same number of threads they split evenly
            assertThat(a.size()).isBetween(14, 26);
            assertThat(b.size()).isBetween(14, 26);
            RequestBudget.Share share = nightly.share();
            assertThat(share.accountPerSecond()).isEqualTo(10);
            assertThat(share.executions()).isEqualTo(2);
            assertThat(share.shown()).startsWith("budget ").endsWith(" of 10/s (2 executions)");
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void a429InOneProcessPausesTheOther(TestDatabases.Kind kind) throws Exception {
        DataSource store = store(kind);
        RequestBudget refused = new AccountBudgets(limit(20), store).forExecution(BLUEJAY, KEY, "nightly", 0);
        RequestBudget other = new AccountBudgets(limit(20), store).forExecution(BLUEJAY, KEY, "on-demand", 0);
        other.acquire();
        refused.pause(Duration.ofMillis(1500));
        long start = System.nanoTime();
        other.acquire();
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThan(1300);
        // a shorter Retry-After later does not shorten the pause already set
        refused.pause(Duration.ofMillis(10));
        long until = new JdbcTemplate(store).queryForObject("SELECT until_ms FROM bluejay_budget_cooldown", Long.class);
        assertThat(until).isLessThan(System.currentTimeMillis() + 100).isGreaterThan(System.currentTimeMillis() - 1000);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void storesNoKeyAndKeepsAccountsApart(TestDatabases.Kind kind) throws Exception {
        DataSource store = store(kind);
        AccountBudgets budgets = new AccountBudgets(limit(5), store);
        RequestBudget one = budgets.forExecution(BLUEJAY, KEY, "nightly", 0);
        RequestBudget otherKey = budgets.forExecution(BLUEJAY, ApiKey.of("another-key-77aa"), "nightly", 0);
        one.acquire();
        long start = System.nanoTime();
        otherKey.acquire(); // another key's bucket is full: no wait behind the first account's permit (due 100 ms later)
        assertThat((System.nanoTime() - start) / 1e6).isLessThan(180);
        one.acquire();
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThan(150); // the first account's second permit: 1/(0.99 x 5) s after its first
        one.pause(Duration.ofMillis(200));
        JdbcTemplate jdbc = new JdbcTemplate(store);
        List<String> ids = jdbc.queryForList("SELECT id FROM bluejay_budget_bucket ORDER BY id", String.class);
        assertThat(ids).hasSize(2).allMatch(id -> id.matches("[0-9a-f]{64}"));
        String everything = jdbc.queryForList("SELECT account_id, member_id, job_name FROM bluejay_budget_member").toString()
                + jdbc.queryForList("SELECT account_id FROM bluejay_budget_cooldown");
        assertThat(everything).doesNotContain("the-account-key-4b1d").doesNotContain("another-key-77aa");
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aJobsOwnLimitOnlyLowersItsShare(TestDatabases.Kind kind) throws Exception {
        DataSource store = store(kind);
        RequestBudget slow = new AccountBudgets(limit(20), store).forExecution(BLUEJAY, KEY, "slow", 4);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            slow.acquire();
        }
        assertThat((System.nanoTime() - start) / 1e9).isGreaterThan(0.9); // 4/s, not the account's 20/s
        assertThat(slow.share().ownLimit()).isEqualTo(4);
        assertThat(slow.share().shown()).contains("own limit 4/s");
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void noSharedBudgetWhenTheAccountsLimitIsZero(TestDatabases.Kind kind) throws Exception {
        DataSource store = store(kind);
        RequestBudget budget = new AccountBudgets(new BluejayRateLimitSettings(20, List.of(new BluejayRateLimitSettings.Account("HTTPS://API.getbluejay.ai/", 0))), store)
                .forExecution(BLUEJAY, KEY, "nightly", 0);
        assertThat(budget).isSameAs(RequestBudget.UNLIMITED);
        assertThat(new JdbcTemplate(store).queryForObject("SELECT COUNT(*) FROM bluejay_budget_bucket", Integer.class)).isZero();
    }

    @org.junit.jupiter.api.Test
    void aStoreOutOfReachIsWaitedForThenThisProcessPacesItselfInsteadOfFailingTheRequest() throws Exception {
        com.zaxxer.hikari.HikariDataSource store = (com.zaxxer.hikari.HikariDataSource) store(TestDatabases.Kind.H2);
        Duration storeWait = Duration.ofSeconds(2); // 30 s in calleval
        RequestBudget budget = new AccountBudgets(limit(10), store, java.time.Clock.systemUTC(), storeWait).forExecution(BLUEJAY, KEY, "nightly", 0);
        budget.acquire();
        store.close(); // as when the process serving the H2 file is gone for good
        long start = System.nanoTime();
        budget.acquire();
        assertThat((System.nanoTime() - start) / 1e9).as("waited for the store first").isGreaterThanOrEqualTo(storeWait.toMillis() / 1e3);
        long paced = System.nanoTime();
        budget.acquire();
        budget.acquire();
        budget.pause(Duration.ofMillis(1)); // a 429 meanwhile: held in this process, not thrown
        // at 10/s (its only execution's share): the next two a period apart at least
        assertThat((System.nanoTime() - paced) / 1e9).as("then paced at 10/s alone").isGreaterThan(0.09);
    }

    @Test
    void aBlipOfTheStoreIsNotWarnedOfAnOutageIsOnceWithTheLineThatEndsIt() throws Exception {
        AtomicBoolean down = new AtomicBoolean();
        DataSource flaky = new DelegatingDataSource(store(TestDatabases.Kind.H2)) {
            @Override
            public Connection getConnection() throws SQLException {
                if (down.get()) {
                    throw new SQLException("Connection is broken: the process serving the H2 file is gone (test)");
                }
                return super.getConnection();
            }
        };
        Logger logger = (Logger) LoggerFactory.getLogger(SharedAccount.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            RequestBudget budget = new AccountBudgets(limit(10), flaky).forExecution(BLUEJAY, KEY, "nightly", 0);
            budget.acquire();
            down.set(true); // a blip, as while an H2 file changes hands: answered again 300 ms later
            timer.schedule(() -> down.set(false), 300, TimeUnit.MILLISECONDS);
            budget.acquire();
            assertThat(logged.list).as("nothing above debug for a blip").noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.INFO));
            down.set(true); // an outage of 1.5 s
            timer.schedule(() -> down.set(false), 1500, TimeUnit.MILLISECONDS);
            budget.acquire();
            List<String> told = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
            assertThat(told).hasSize(2);
            assertThat(told.get(0)).startsWith("WARN").contains("cannot be reached for").contains("the process serving the H2 file is gone");
            assertThat(told.get(1)).startsWith("INFO").contains("is back after");
        } finally {
            timer.shutdownNow();
            logger.detachAppender(logged);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aRequestThatReachesTheNetworkLateMovesTheNextPermitsBack(TestDatabases.Kind kind) throws Exception {
        DataSource store = store(kind);
        RequestBudget budget = new AccountBudgets(limit(10), store).forExecution(BLUEJAY, KEY, "nightly", 0);
        budget.acquire(); // the bucket's first permit (and this JVM's first use of the code) is not what is measured
        budget.wireHook().run();
        budget.acquire();
        long onTime = System.nanoTime();
        budget.wireHook().run(); // on the wire as soon as permitted: no debt
        budget.acquire();
        long next = System.nanoTime();
        Runnable late = budget.wireHook();
        Thread.sleep(80); // held up 80 ms between the permit and the socket (a GC pause)
        late.run();
        budget.acquire();
        long afterLate = System.nanoTime();
        double period = 1000 / (10 * SharedAccount.HEADROOM);
        assertThat((next - onTime) / 1e6).as("a period after a request sent on time").isBetween(period - 15, period + 30);
        // the 80 ms delay minus the 5 ms allowed, on top of the period (the permit was due a period after the last)
        assertThat((afterLate - next) / 1e6).as("moved back by the delay").isGreaterThan(80 + period - 5 - 15);
    }

}
