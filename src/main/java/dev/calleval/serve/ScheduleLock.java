package dev.calleval.serve;

import dev.calleval.jobfile.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import net.javacrumbs.shedlock.core.DefaultLockingTaskExecutor;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockingTaskExecutor;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;
import org.springframework.scheduling.TriggerContext;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Fires each occurrence of a job file's schedule once across the {@code serve} processes that share a state store
 * (replicas on one PostgreSQL, or several serve processes on one H2 file): every replica runs the same cron triggers,
 * and before it launches an occurrence it takes ShedLock's lock {@code schedule:<job>} (JDBC provider, table
 * {@code shedlock}, migration V11). The replica that takes it launches; the others find it held and skip the
 * occurrence. Each process logs one line per occurrence: {@code schedule: JOB at INSTANT: fired here}, or
 * {@code ...: fired by another serve process}.
 *
 * <p>The lock is held for half the time between this occurrence and the next (both from the cron expression, so every
 * replica computes the same), whatever the launch takes: a replica whose fire comes late (its scheduler thread was
 * busy, its clock is behind) still finds the lock held as long as it is less than that late, and the lock is free
 * again well before the next occurrence. Its times are the database's ({@code usingDbTime}), so the replicas' clocks
 * only matter through when their triggers fire. A launch over a source whose previous execution still runs is refused
 * by {@link JobLaunches} (the (job, source) guard), as with one replica: the lock decides who fires an occurrence, the
 * guard that executions over one source never overlap.
 *
 * <p>The same lock table gives the polling of calls without a result one turn per {@code --poll-interval} across the
 * processes ({@link #takeTurn}), so that two replicas do not poll Bluejay for the same calls twice.
 *
 * <p>Thread-safe.
 */
@Component
@Profile("serve")
class ScheduleLock {
    private static final Logger log = LoggerFactory.getLogger(ScheduleLock.class);
    /** How long the lock is held when the expression never fires again. */
    private static final Duration LAST_OCCURRENCE = Duration.ofMinutes(1);

    private final LockingTaskExecutor locks;

    ScheduleLock(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.locks = new DefaultLockingTaskExecutor(new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(jdbc).withTransactionManager(transactionManager).withTableName("shedlock").usingDbTime().build()));
    }

    /**
     * Schedules {@code fire} at the occurrences of {@code schedule} on {@code scheduler}; each occurrence runs it only
     * when this process takes the job's lock.
     *
     * @param fire launches the job; it should return once the launch is done (not when the execution ends)
     */
    void schedule(TaskScheduler scheduler, String job, Schedule schedule, Runnable fire) {
        Occurrences occurrences = new Occurrences(new CronTrigger(schedule.cron(), schedule.zoneId()));
        scheduler.schedule(() -> {
            try {
                fireOnce(job, schedule, occurrences.current(), fire);
            } catch (RuntimeException e) { // the state store did not answer: no process can fire it, nothing to take over
                log.warn("schedule: {} at {} not fired: its lock could not be taken: {}", job, occurrences.current(), e.getMessage());
            }
        }, occurrences);
    }

    /**
     * Runs {@code fire} for the occurrence of {@code job} scheduled at {@code occurrence} if this process takes its lock.
     *
     * @return whether it ran here
     */
    boolean fireOnce(String job, Schedule schedule, @Nullable Instant occurrence, Runnable fire) {
        Duration hold = hold(schedule, occurrence == null ? Instant.now() : occurrence);
        LockConfiguration lock = new LockConfiguration(Instant.now(), "schedule:" + job, hold, hold);
        try {
            LockingTaskExecutor.TaskResult<Boolean> result = locks.executeWithLock(() -> {
                log.info("schedule: {} at {}: fired here", job, occurrence);
                fire.run();
                return true;
            }, lock);
            if (!result.wasExecuted()) {
                log.info("schedule: {} at {}: fired by another serve process (it holds the lock schedule:{})", job, occurrence, job);
            }
            return result.wasExecuted();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("schedule: " + job + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether this process takes the turn at {@code task}, a round that should run once per interval across the serve
     * processes sharing the state store (the polling of calls without a result): it takes the lock {@code task} and
     * holds it for {@code hold}, so that another process asking within that time is told no. The round itself runs
     * after this returns, outside the lock.
     *
     * @param hold how long the turn is this process's: a little less than the interval, so that its next turn is free
     */
    boolean takeTurn(String task, Duration hold) {
        try {
            return locks.executeWithLock(() -> Boolean.TRUE, new LockConfiguration(Instant.now(), task, hold, hold)).wasExecuted();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(task + ": " + e.getMessage(), e);
        }
    }

    /** Half the time from {@code occurrence} to the schedule's next occurrence; {@link #LAST_OCCURRENCE} when there is none. */
    static Duration hold(Schedule schedule, Instant occurrence) {
        ZonedDateTime next = schedule.next(occurrence);
        return next == null ? LAST_OCCURRENCE : Duration.between(occurrence, next.toInstant()).dividedBy(2);
    }

    /**
     * A cron trigger that remembers the occurrence it last scheduled: Spring's scheduler asks for the next occurrence
     * only after the task of the current one has run, so while the task runs, {@link #current} is its occurrence.
     */
    private static final class Occurrences implements Trigger {
        private final CronTrigger cron;
        private volatile @Nullable Instant current;

        Occurrences(CronTrigger cron) {
            this.cron = cron;
        }

        @Override
        public @Nullable Instant nextExecution(TriggerContext context) {
            Instant next = cron.nextExecution(context);
            current = next;
            return next;
        }

        @Nullable Instant current() {
            return current;
        }
    }
}
