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
 * to the next) is refused too, and the next occurrence fires again.
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
}
