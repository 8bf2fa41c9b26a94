package dev.calleval.serve;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.config.Durations;
import dev.calleval.dropfolder.DropFolderPoller;
import dev.calleval.jobfile.BluejayClientFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.Schedule;
import dev.calleval.launch.JobRunner;
import dev.calleval.ledger.CallScope;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.report.JobOutcome;
import dev.calleval.report.RunSummary;
import dev.calleval.simulation.SimulationEventProcessor;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * What {@code calleval serve} runs besides the web server (whose webhook receiver stores events): the schedules of
 * the job files (Spring's {@link CronTrigger}, each in its zone; each occurrence fired by one serve process of those
 * sharing the database: {@link ScheduleLock}), a reconciliation round every
 * {@code reconcileEvery} (webhook inbox, simulation events; polling calls without a result every
 * {@code pollInterval}), and the launches ({@link JobLaunches}).
 *
 * <p>Stopping (SIGTERM, Ctrl-C: the context closes; this stops first, while the web server still receives webhooks):
 * no new launches, schedule fires or drop-folder polls; running executions, those of dropped manifests included, stop
 * after their current chunk (STOPPED, restarted by the next launch over the same source; a dropped manifest stays in
 * processing/ with its claim, which the next serve resumes), up to {@code shutdownTimeout}; then one last
 * reconciliation round.
 *
 * <p>Readiness: {@link ReadinessState#ACCEPTING_TRAFFIC} is published once {@link #start} has started everything, and
 * {@link ReadinessState#REFUSING_TRAFFIC} as stopping begins, so {@code /actuator/health/readiness} answers 503 while
 * serve drains (the web server still stores webhooks until the context closes); {@link ServeHealthIndicator} reports
 * the same in the readiness group.
 */
@Component
@Profile("serve")
public class ServeRuntime implements SmartLifecycle, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ServeRuntime.class);

    private final JobLaunches launches;
    private final Reconciler reconciler;
    private final SimulationEventProcessor simulationEvents;
    private final ApiToken apiToken;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile @Nullable Running running;
    private volatile boolean started;
    /** Set when the context closes: a {@link #start} after it (the context closed while serve was starting) starts nothing. */
    private boolean closed;
    private volatile Instant nextPoll = Instant.EPOCH;

    private final DropFolderPoller dropFolders;
    /** The evaluate job definitions of the dropped manifests running now, so that stopping can stop their executions. */
    private final Set<JobDefinition.Evaluate> dropRuns = ConcurrentHashMap.newKeySet();
    private final JobRunner runner;
    private final BluejayClientFactory clients;
    private final ApplicationEventPublisher events;
    private final ScheduleLock scheduleLock;

    public ServeRuntime(JobLaunches launches, Reconciler reconciler, SimulationEventProcessor simulationEvents, ApiToken apiToken, Clock clock,
            DropFolderPoller dropFolders, JobRunner runner, BluejayClientFactory clients, ApplicationEventPublisher events, ScheduleLock scheduleLock) {
        this.events = events;
        this.scheduleLock = scheduleLock;
        this.dropFolders = dropFolders;
        this.runner = runner;
        this.clients = clients;
        this.launches = launches;
        this.reconciler = reconciler;
        this.simulationEvents = simulationEvents;
        this.apiToken = apiToken;
        this.clock = clock;
    }

    /**
     * How serve runs.
     *
     * @param reconcileEvery pause between reconciliation rounds (webhook inbox)
     * @param pollAfter a call without a result this long after submission is polled with retrieve-call-log
     * @param pollInterval pause between polling rounds
     * @param window a call without a result this long after submission is marked OVERDUE (still matched later)
     * @param concurrentExecutions job executions running at once
     * @param shutdownTimeout how long stopping waits for running executions
     */
    public record Settings(Duration reconcileEvery, Duration pollAfter, Duration pollInterval, Duration window, int concurrentExecutions,
            Duration shutdownTimeout) {}

    /** Where the launched executions and the polling send their requests. */
    public record Connection(URI baseUrl, ApiKey apiKey, BluejayClient pollClient) {
        /** What the ledger records the calls of this connection under: the poll client's endpoint. */
        public dev.calleval.bluejay.BluejayEndpoint endpoint() {
            return pollClient.endpoint();
        }
    }

    private record Running(Settings settings, Connection connection, ThreadPoolTaskScheduler scheduler) {}

    /**
     * Starts the schedules, the reconciliation rounds and the launches; returns at once.
     *
     * @param jobs the job files by name, read from {@code jobsFolder}
     * @return false, having started nothing, when the context has closed already (SIGTERM while serve was starting):
     *     {@link #awaitStopped} then returns at once
     */
    public synchronized boolean start(Settings settings, SortedMap<String, JobDefinition> jobs, Path jobsFolder, Connection connection) {
        if (running != null) {
            throw new IllegalStateException("serve is already running");
        }
        if (closed) {
            return false;
        }
        launches.open(jobs, jobsFolder, connection.baseUrl(), connection.apiKey(), connection.endpoint(), settings.concurrentExecutions());
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        long dropFolderJobs = jobs.values().stream().filter(JobDefinition.DropFolder.class::isInstance).count();
        scheduler.setPoolSize(2 + (int) dropFolderJobs); // a drop-folder poll runs its manifests in its own thread
        scheduler.setThreadNamePrefix("serve-");
        scheduler.setDaemon(true);
        // stopping must not interrupt a drop-folder run: it is stopped after its chunk (JobRunner.stop) and awaited
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setErrorHandler(e -> log.error("serve: a scheduled task failed: {}", e.toString()));
        scheduler.initialize();
        Running r = new Running(settings, connection, scheduler);
        nextPoll = clock.instant();
        running = r;
        log.info("jobs: {} job file(s) in {}: {}", jobs.size(), jobsFolder.toAbsolutePath().normalize(), String.join(", ", jobs.keySet()));
        int scheduled = 0;
        for (Map.Entry<String, JobDefinition> job : jobs.entrySet()) {
            Schedule schedule = job.getValue().schedule();
            if (schedule == null) {
                continue;
            }
            scheduleLock.schedule(scheduler, job.getKey(), schedule, () -> fire(job.getKey())); // once across serve replicas
            ZonedDateTime next = schedule.next(clock.instant());
            log.info("schedule: {} runs at '{}' ({}); next at {}", job.getKey(), schedule.cron(), schedule.zone(), next == null ? "never" : next);
            scheduled++;
        }
        if (scheduled == 0) {
            log.info("schedule: no job file declares a schedule: jobs run when launched");
        }
        for (JobDefinition job : jobs.values()) {
            if (job instanceof JobDefinition.DropFolder dropFolder) {
                Duration every = dropFolder.dropFolder().pollInterval();
                scheduler.scheduleWithFixedDelay(() -> pollDropFolder(dropFolder), every);
                log.info("drop folder: {} polls {} every {}", job.name(), dropFolder.dropFolder().inbox(), Durations.shown(every));
            }
        }
        scheduler.scheduleWithFixedDelay(this::reconcile, settings.reconcileEvery());
        log.info("reconcile: webhook inbox every {}; calls without a result after {} polled every {}; OVERDUE after {}",
                Durations.shown(settings.reconcileEvery()), Durations.shown(settings.pollAfter()), Durations.shown(settings.pollInterval()), Durations.shown(settings.window()));
        if (apiToken.enabled()) {
            log.info("launch API: on (POST /api/jobs/{name}/executions, GET /api/executions/{id}, GET /api/jobs; bearer token from CALLEVAL_API_TOKEN); "
                    + "{} execution(s) at once", settings.concurrentExecutions());
        } else {
            log.warn("launch API: off: CALLEVAL_API_TOKEN is not set (/api/ answers 503); schedules and webhooks work without it");
        }
        started = true; // everything above is up: ready
        AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
        return true;
    }

    /**
     * The context is closing, after {@link #stop} if serve was running: a {@link #start} still to come (the context
     * closed while serve was starting) then starts nothing, instead of reconciliation rounds on a closed database.
     */
    @Override
    public synchronized void destroy() {
        closed = true;
        if (running == null) {
            stopped.countDown();
        }
    }

    /** Blocks until serve has stopped (the context is closing and running executions have ended or timed out). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void fire(String name) {
        try {
            launches.launch(name, Map.of(), "schedule");
        } catch (LaunchException e) {
            log.warn("schedule: {} not launched: {}", name, e.getMessage());
        } catch (RuntimeException e) {
            log.error("schedule: {} not launched: {}", name, e.getMessage());
        }
    }

    /**
     * One poll of a drop-folder job's inbox: each new manifest is claimed, run to its end as an evaluate job execution
     * (results come by webhook and reconciliation rounds), and filed in done/ or failed/ with its reports.
     */
    void pollDropFolder(JobDefinition.DropFolder job) {
        Running r = running;
        if (r == null) {
            return;
        }
        try {
            for (DropFolderPoller.Outcome o : dropFolders.pollOnce(job, evaluate -> runDropped(evaluate, r))) {
                log.info("drop folder {}: {} {}{}{}", job.name(), o.inboxKey(), o.state(), o.location() == null ? "" : " -> " + o.location(),
                        o.reason() == null ? "" : " (" + o.reason() + ")");
            }
        } catch (RuntimeException e) {
            log.warn("drop folder {}: the poll failed, trying again in {}: {}", job.name(), Durations.shown(job.dropFolder().pollInterval()),
                    e.getMessage());
        }
    }

    /**
     * Runs one dropped manifest. An execution that serve's stopping ended (STOPPED) throws, so the poller leaves the
     * manifest in processing/ with its claim RUNNING: the next serve resumes the claim (its owner is gone) and the
     * launch over the same source restarts the execution.
     */
    private boolean runDropped(JobDefinition.Evaluate evaluate, Running r) throws Exception {
        dropRuns.add(evaluate); // before the check: stopping sets running to null, then stops what is in dropRuns
        try {
            if (running == null) {
                throw new IllegalStateException("serve is stopping: not started; a later poll runs it");
            }
            JobOutcome<RunSummary> outcome = runner.run(evaluate, clients.create(evaluate, r.connection().baseUrl(), r.connection().apiKey(), r.connection().endpoint()),
                    Duration.ZERO);
            if ("STOPPED".equals(outcome.status())) {
                throw new IllegalStateException("execution " + outcome.executionId() + " stopped with serve; a later poll resumes it");
            }
            return outcome.completed();
        } finally {
            dropRuns.remove(evaluate);
        }
    }

    /**
     * One reconciliation round: simulation events, call results from the inbox, polling when due (and this process's
     * turn: {@link ScheduleLock#takeTurn}), OVERDUE marks.
     */
    void reconcile() {
        Running r = running;
        if (r == null) {
            return;
        }
        try {
            var simulations = simulationEvents.processInbox();
            Instant now = clock.instant();
            boolean poll = !now.isBefore(nextPoll);
            if (poll) {
                nextPoll = now.plus(r.settings().pollInterval());
                poll = scheduleLock.takeTurn("reconcile-poll", pollTurn(r.settings())); // one replica polls per interval
            }
            Reconciler.Round round = reconciler.round(poll ? r.connection().pollClient() : null, CallScope.all(), r.settings().pollAfter(),
                    r.settings().window());
            if (round.inbox().matched() + round.foundByPolling() + round.overdue() + simulations.applied() > 0) {
                log.info("reconcile: {} result(s) by webhook, {} by polling, {} call(s) now OVERDUE, {} simulation event(s) applied",
                        round.inbox().matched(), round.foundByPolling(), round.overdue(), simulations.applied());
            }
        } catch (RuntimeException e) {
            log.warn("reconcile: the round failed, trying again in {}: {}", Durations.shown(r.settings().reconcileEvery()), e.getMessage());
        }
    }

    /**
     * How long a polling turn is this process's: the poll interval less one reconciliation period (at most half the
     * interval), so that the process polling every interval finds its next turn free.
     */
    static Duration pollTurn(Settings settings) {
        Duration interval = settings.pollInterval();
        Duration slack = settings.reconcileEvery().compareTo(interval.dividedBy(2)) < 0 ? settings.reconcileEvery() : interval.dividedBy(2);
        return interval.minus(slack);
    }

    @Override
    public void start() {
        // started by the serve command, not by the context
    }

    @Override
    public boolean isAutoStartup() {
        return false;
    }

    @Override
    public synchronized void stop() {
        Running r = running;
        if (r == null) {
            return;
        }
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        log.info("serve: stopping: readiness DOWN, no new launches; running executions stop after their current chunk (waiting up to {})",
                Durations.shown(r.settings().shutdownTimeout()));
        running = null; // no new drop-folder runs
        r.scheduler().shutdown();
        try {
            long deadline = System.nanoTime() + r.settings().shutdownTimeout().toNanos();
            for (JobDefinition.Evaluate dropped : List.copyOf(dropRuns)) {
                runner.running(dropped).ifPresent(execution -> {
                    if (runner.stop(execution.executionId())) {
                        log.info("{}: stopping execution {} of a dropped manifest after its current chunk", dropped.name(),
                                execution.executionId());
                    }
                });
            }
            launches.stop(r.settings().shutdownTimeout());
            long left = Math.max(0, deadline - System.nanoTime());
            if (!r.scheduler().getScheduledThreadPoolExecutor().awaitTermination(left, TimeUnit.NANOSECONDS)) {
                log.warn("serve: a drop-folder run did not stop within {}; its claim is resumed by the next serve",
                        Durations.shown(r.settings().shutdownTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reconcileOnce(r);
        log.info("serve: stopped");
        stopped.countDown();
    }

    private void reconcileOnce(Running r) {
        try {
            simulationEvents.processInbox();
            reconciler.round(null, CallScope.all(), r.settings().pollAfter(), r.settings().window());
        } catch (RuntimeException e) {
            log.warn("reconcile: the last round failed: {}", e.getMessage());
        }
    }

    /** Whether serve has started and is not stopping. */
    @Override
    public boolean isRunning() {
        return running != null;
    }

    /** Where serve is in its life; see {@link ServeHealthIndicator}. */
    enum State { STARTING, RUNNING, STOPPING, STOPPED }

    State state() {
        if (stopped.getCount() == 0) {
            return State.STOPPED;
        }
        if (!started) {
            return State.STARTING;
        }
        return running != null ? State.RUNNING : State.STOPPING;
    }

    /** First to stop, while the web server still takes webhooks and the database is open. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
