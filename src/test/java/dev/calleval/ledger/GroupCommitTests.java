package dev.calleval.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link GroupCommit} on a real H2 database: every update committed when its caller returns, failures kept to their caller. */
class GroupCommitTests {
    private final DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:group-commit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private GroupCommit commits;

    @BeforeEach
    void open() {
        jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, tx VARCHAR(100))");
        commits = new GroupCommit(new TransactionTemplate(new DataSourceTransactionManager(dataSource)), "test-commit");
    }

    @AfterEach
    void closeIt() {
        commits.close();
        jdbc.execute("DROP ALL OBJECTS");
    }

    @Test
    void everyUpdateOfManyThreadsHasCommittedWhenItsCallReturns() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<Long>> seen = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int id = i;
            seen.add(threads.submit(() -> {
                commits.run(() -> jdbc.update("INSERT INTO t VALUES (?, ?)", id,
                        String.valueOf(TransactionSynchronizationManager.isActualTransactionActive())));
                // committed: another connection sees it now
                return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM t WHERE id = ?", Long.class, id);
            }));
        }
        for (Future<Long> f : seen) {
            assertThat(f.get()).isEqualTo(1);
        }
        threads.shutdown();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class)).isEqualTo(2000);
        assertThat(jdbc.queryForList("SELECT DISTINCT tx FROM t", String.class)).as("inside a transaction").containsExactly("true");
    }

    @Test
    void updatesQueuedWhileACommitIsBeingWrittenShareTheNextTransaction() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(11);
        Future<?> first = threads.submit(() -> commits.run(() -> {
            jdbc.update("INSERT INTO t VALUES (0, 'first')");
            started.countDown();
            awaitQuietly(release); // the committer is busy with this batch ...
        }));
        assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        List<Future<?>> later = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int id = i;
            later.add(threads.submit(() -> commits.run(() -> jdbc.update("INSERT INTO t VALUES (?, 'later')", id))));
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (commits.queued() < 10 && System.nanoTime() < deadline) { // ... while ten more updates queue up
            Thread.sleep(5);
        }
        assertThat(commits.queued()).isEqualTo(10);
        release.countDown();
        first.get();
        for (Future<?> f : later) {
            f.get();
        }
        threads.shutdown();

        assertThat(commits.transactions()).as("the first batch, then the ten together").isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class)).isEqualTo(11);
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFailingUpdateFailsOnlyItsOwnCallerAndTheOthersInItsBatchCommit() throws Exception {
        jdbc.update("INSERT INTO t VALUES (1, 'x')");
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int id = i + 1; // id 1 exists: its insert fails
            calls.add(threads.submit(() -> commits.run(() -> jdbc.update("INSERT INTO t VALUES (?, 'y')", id))));
        }
        int failed = 0;
        for (Future<?> f : calls) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(DuplicateKeyException.class);
                failed++;
            }
        }
        threads.shutdown();

        assertThat(failed).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class)).isEqualTo(64);
    }

    @Test
    void itemsOfOneKindThatShareATransactionAreAppliedInOneCall() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<List<Integer>> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        GroupCommit.Kind<Integer> insert = items -> {
            applied.add(List.copyOf(items));
            jdbc.batchUpdate("INSERT INTO t VALUES (?, 'batch')", items.stream().map(i -> new Object[] {i}).toList());
        };
        ExecutorService threads = Executors.newFixedThreadPool(11);
        Future<?> first = threads.submit(() -> commits.run(() -> {
            started.countDown();
            awaitQuietly(release); // the committer is busy ...
        }));
        assertThat(started.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        List<Future<Long>> later = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int id = i;
            later.add(threads.submit(() -> {
                commits.run(insert, id);
                return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM t WHERE id = ?", Long.class, id);
            }));
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (commits.queued() < 10 && System.nanoTime() < deadline) { // ... while ten items queue up
            Thread.sleep(5);
        }
        release.countDown();
        first.get();
        for (Future<Long> f : later) {
            assertThat(f.get()).as("committed when run returns").isEqualTo(1);
        }
        threads.shutdown();

        assertThat(applied).as("one call for the ten").singleElement().satisfies(items -> assertThat(items).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        assertThat(commits.transactions()).isEqualTo(2);
    }

    @Test
    void anItemThatFailsInItsKindsBatchFailsOnlyItsOwnCaller() throws Exception {
        jdbc.update("INSERT INTO t VALUES (1, 'x')");
        GroupCommit.Kind<Integer> insert = items -> jdbc.batchUpdate("INSERT INTO t VALUES (?, 'y')", items.stream().map(i -> new Object[] {i}).toList());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int id = i + 1; // id 1 exists: its insert fails, and with it the batch it is in
            calls.add(threads.submit(() -> commits.run(insert, id)));
        }
        int failed = 0;
        for (Future<?> f : calls) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
                failed++;
            }
        }
        threads.shutdown();

        assertThat(failed).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t WHERE tx = 'y'", Long.class)).as("the other 63").isEqualTo(63);
        commits.close();
        commits.run(insert, 100);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t WHERE id = 100", Long.class)).as("after close: on its own").isEqualTo(1);
    }

    @Test
    void aCommitterWaitingForCallersStillWorkingStillCommitsEveryUpdate() throws Exception {
        commits.close();
        // 100 callers said to be working, but only 5 ever hand over an update: the committer stops waiting for the rest
        commits = new GroupCommit(new TransactionTemplate(new DataSourceTransactionManager(dataSource)), "test-commit", () -> 100);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            int id = i;
            calls.add(threads.submit(() -> commits.run(() -> jdbc.update("INSERT INTO t VALUES (?, 'w')", id))));
        }
        for (Future<?> f : calls) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Long.class)).isEqualTo(5);
        assertThat(commits.transactions()).isBetween(1L, 5L);
    }

    @Test
    void afterCloseAnUpdateCommitsOnItsOwn() {
        commits.close();

        commits.run(() -> jdbc.update("INSERT INTO t VALUES (7, 'late')"));

        assertThat(jdbc.queryForObject("SELECT tx FROM t WHERE id = 7", String.class)).isEqualTo("late");
        assertThatThrownBy(() -> commits.run(() -> jdbc.update("INSERT INTO t VALUES (7, 'again')"))).isInstanceOf(DuplicateKeyException.class);
    }
}
