package dev.calleval.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.TestDatabases;
import dev.calleval.jobfile.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * {@link ScheduleLock} on the migrated state store (H2 here; PostgreSQL in {@code ScheduleLockPostgresTests}): two
 * processes' locks on one database fire an occurrence once, a late fire of the same occurrence (within half the time
 * to the next) is refused too, and the next occurrence fires again; one of them takes each polling turn.
 */
class ScheduleLockTests {
    private static final Schedule EVERY_TWO_SECONDS = new Schedule("*/2 * * * * *", "UTC");

    DataSource newDataSource() {
        return TestDatabases.Kind.H2.migratedDataSource("schedule-lock");
    }

    private static ScheduleLock lock(DataSource dataSource) {
        return new ScheduleLock(new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource));
    }

    @Test
    void holdsTheLockForHalfTheTimeToTheNextOccurrence() {
        assertThat(ScheduleLock.hold(new Schedule("0 0 2 * * *", "Europe/Paris"), Instant.parse("2026-12-06T01:00:00Z"))).isEqualTo(Duration.ofHours(12));
        assertThat(ScheduleLock.hold(new Schedule("0 0 2,3 * * *", "UTC"), Instant.parse("2026-12-06T02:00:00Z"))).isEqualTo(Duration.ofMinutes(30));
        assertThat(ScheduleLock.hold(EVERY_TWO_SECONDS, Instant.parse("2026-12-06T02:00:00Z"))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ScheduleLock.hold(new Schedule("0 0 0 29 2 *", "UTC"), Instant.parse("2028-02-29T00:00:00Z")))
                .as("a leap day: four years to the next").isEqualTo(Duration.ofDays(4 * 365 + 1).dividedBy(2));
    }

    @Test
    void twoProcessesFireAnOccurrenceOnceAndTheNextOneAgain() throws Exception {
        DataSource database = newDataSource();
        ScheduleLock a = lock(database);
        ScheduleLock b = lock(database);
        AtomicInteger firedByA = new AtomicInteger();
        AtomicInteger firedByB = new AtomicInteger();
        Instant occurrence = Instant.parse("2026-12-06T02:00:00Z");

        assertThat(a.fireOnce("tick", EVERY_TWO_SECONDS, occurrence, firedByA::incrementAndGet)).isTrue();
        assertThat(b.fireOnce("tick", EVERY_TWO_SECONDS, occurrence, firedByB::incrementAndGet)).as("the same occurrence, at once").isFalse();
        Thread.sleep(400);
        assertThat(b.fireOnce("tick", EVERY_TWO_SECONDS, occurrence, firedByB::incrementAndGet)).as("the same occurrence, 0.4 s late").isFalse();
        assertThat(a.fireOnce("other", EVERY_TWO_SECONDS, occurrence, firedByA::incrementAndGet)).as("another job has its own lock").isTrue();

        Thread.sleep(1200); // past the hold (1 s): the next occurrence
        assertThat(b.fireOnce("tick", EVERY_TWO_SECONDS, occurrence.plusSeconds(2), firedByB::incrementAndGet)).isTrue();
        assertThat(a.fireOnce("tick", EVERY_TWO_SECONDS, occurrence.plusSeconds(2), firedByA::incrementAndGet)).isFalse();
        assertThat(firedByA).hasValue(2);
        assertThat(firedByB).hasValue(1);
    }

    @Test
    void oneProcessTakesEachPollingTurn() throws Exception {
        DataSource database = newDataSource();
        ScheduleLock a = lock(database);
        ScheduleLock b = lock(database);
        Duration turn = Duration.ofSeconds(1);

        assertThat(a.takeTurn("reconcile-poll", turn)).isTrue();
        assertThat(b.takeTurn("reconcile-poll", turn)).as("the other replica, in the same interval").isFalse();
        Thread.sleep(1200);
        assertThat(b.takeTurn("reconcile-poll", turn)).as("the next interval").isTrue();
        assertThat(a.takeTurn("reconcile-poll", turn)).isFalse();
    }

    @Test
    void aPollingTurnIsTheIntervalLessOneReconciliationPeriod() {
        assertThat(ServeRuntime.pollTurn(settings(Duration.ofSeconds(5), Duration.ofMinutes(1)))).isEqualTo(Duration.ofSeconds(55));
        assertThat(ServeRuntime.pollTurn(settings(Duration.ofSeconds(5), Duration.ofSeconds(6)))).as("at most half the interval")
                .isEqualTo(Duration.ofSeconds(3));
    }

    private static ServeRuntime.Settings settings(Duration reconcileEvery, Duration pollInterval) {
        return new ServeRuntime.Settings(reconcileEvery, Duration.ofMinutes(5), pollInterval, Duration.ofHours(6), 2, Duration.ofSeconds(60));
    }
}
