package dev.calleval.serve;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.execution.JobAlreadyRunningException;
import dev.calleval.jobfile.BluejayClientFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.launch.JobRunner;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Starts job executions for {@code serve} (schedules and the launch API) on a bounded pool: at most
 * {@code concurrent} run at once, up to {@value #QUEUE} more wait (status STARTING) for a free thread, and a launch
 * beyond that is refused. Each is a real job execution through {@link JobRunner#start}, whose id is known at once.
 *
 * <p>A launch is refused while an execution of the same job over the same source has not ended
 * ({@link JobRunner#running(JobDefinition.BatchJob)}: alive by its heartbeat). The job files are the ones read when serve started.
 */
@Component
@Profile("serve")
class JobLaunches {
    /** Executions that may wait for a thread, beyond those running. */
    static final int QUEUE = 16;

    private static final Logger log = LoggerFactory.getLogger(JobLaunches.class);

    private final JobRunner runner;
    private final BluejayClientFactory clients;
    private final Map<Long, Launched> launched = new ConcurrentHashMap<>();
    private volatile @Nullable Setup setup;
    private volatile boolean stopping;

    public JobLaunches(JobRunner runner, BluejayClientFactory clients) {
        this.runner = runner;
        this.clients = clients;
    }

    private record Setup(SortedMap<String, JobDefinition> jobs, Path jobsFolder, URI baseUrl, ApiKey apiKey, BluejayEndpoint endpoint, int concurrent,
            ThreadPoolExecutor pool) {}

    /**
     * An execution started here and not ended yet.
     *
     * @param jobName the name it was launched by (the job file's name)
     * @param source the job parameter {@code source}: the file or folder it reads
     * @param trigger what launched it: {@code schedule} or {@code api}
     */
    public record Launched(long executionId, String jobName, String source, String trigger, boolean restarted, Instant launchedAt) {}

    /** A task of the pool that knows the execution it runs, so that one still waiting can be told apart when stopping. */
    private static final class ExecutionTask implements Runnable {
        final CompletableFuture<Long> executionId = new CompletableFuture<>();
        private final Runnable task;

        ExecutionTask(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    /**
     * Makes launches possible.
     *
     * @param jobs the job files by name, as read at startup from {@code jobsFolder}
     * @param baseUrl where the executions send their requests (Bluejay or the sandbox)
     * @param endpoint what the ledger records their calls under ({@link BluejayEndpoint#SANDBOX} for the embedded sandbox)
     * @param concurrent executions running at once
     */
    synchronized void open(SortedMap<String, JobDefinition> jobs, Path jobsFolder, URI baseUrl, ApiKey apiKey, BluejayEndpoint endpoint,
            int concurrent) {
        if (concurrent < 1) {
            throw new IllegalArgumentException("at least one execution must be allowed to run, got " + concurrent);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrent, concurrent, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            Thread thread = new Thread(r, "execution-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        setup = new Setup(new TreeMap<>(jobs), jobsFolder, baseUrl, apiKey, endpoint, concurrent, pool);
    }

    /** The job files serve knows, by name. */
    public SortedMap<String, JobDefinition> jobs() {
        Setup s = setup;
        return s == null ? new TreeMap<>() : s.jobs();
    }

    /** Executions started here that have not ended (running, or waiting for a thread). */
    public Collection<Launched> running() {
        return List.copyOf(launched.values());
    }

    /**
     * Starts an execution of job {@code name} and returns once it exists in the job repository.
     *
     * @param parameters job parameters ({@link JobDefinition#withParameters}); empty for the job as written
     * @param trigger what launches it, for the logs: {@code schedule} or {@code api}
     * @throws LaunchException when it is refused; its reason says why (no such job, bad parameters, already running,
     *     no capacity)
     */
    public synchronized Launched launch(String name, Map<String, String> parameters, String trigger) {
        Setup s = setup;
        if (s == null || stopping) {
            throw new LaunchException(LaunchException.Reason.UNAVAILABLE, s == null ? "serve is still starting" : "serve is stopping");
        }
        JobDefinition written = s.jobs().get(name);
        if (written == null) {
            throw new LaunchException(LaunchException.Reason.NO_SUCH_JOB, "no job named '" + name + "' in " + s.jobsFolder()
                    + (s.jobs().isEmpty() ? " (it holds no job file)" : " (jobs: " + String.join(", ", s.jobs().keySet()) + ")"));
        }
        JobDefinition definition;
        try {
            definition = written.withParameters(parameters);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(LaunchException.Reason.BAD_PARAMETERS, name + ": " + e.getMessage());
        }
        if (definition instanceof JobDefinition.SimulateSms) {
            throw new LaunchException(LaunchException.Reason.BAD_PARAMETERS, name + " is a simulate-sms job: it is not started as a job "
                    + "execution; run it with 'calleval run " + name + "'");
        }
        if (!(definition instanceof JobDefinition.BatchJob batch)) { // a drop-folder job
            throw new LaunchException(LaunchException.Reason.BAD_PARAMETERS, name + " is a drop-folder job: serve polls its inbox every "
                    + "drop-folder.poll-interval; drop a manifest there to run it");
        }
        String source = batch.sourceKey();
        Path local = batch instanceof JobDefinition.Enrich enrich ? enrich.enrichLocation() // an s3:// manifest is checked when the run opens it
                : ((JobDefinition.Evaluate) batch).manifest() instanceof dev.calleval.source.InputLocation.Local l ? l.path() : null;
        if (local != null && !Files.exists(local)) {
            throw new LaunchException(LaunchException.Reason.BAD_PARAMETERS, name + ": source " + source + " does not exist");
        }
        JobRunner.RunningExecution running = runner.running(batch).orElse(null);
        if (running != null) {
            throw alreadyRunning(name, source, running.executionId());
        }
        if (launched.size() >= s.concurrent() + QUEUE) {
            throw new LaunchException(LaunchException.Reason.UNAVAILABLE, launched.size() + " executions are running or waiting (" + s.concurrent()
                    + " run at once, " + QUEUE + " may wait): try again later");
        }
        List<ExecutionTask> tasks = new ArrayList<>(1);
        JobRunner.Started started;
        try {
            started = runner.start(batch, clients.create(batch, s.baseUrl(), s.apiKey(), s.endpoint()), Duration.ZERO, task -> {
                ExecutionTask t = new ExecutionTask(task);
                tasks.add(t);
                s.pool().execute(t);
            });
        } catch (JobAlreadyRunningException e) {
            throw alreadyRunning(name, source, e.executionId());
        } catch (dev.calleval.source.ManifestException e) { // the manifest cannot be read: refused, no execution created
            throw new LaunchException(LaunchException.Reason.BAD_PARAMETERS, name + ": " + e.getMessage());
        } catch (JobExecutionAlreadyRunningException | JobInstanceAlreadyCompleteException | JobRestartException e) {
            throw new LaunchException(LaunchException.Reason.REFUSED, name + ": Spring Batch refused the launch: " + e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(name + ": the launch failed: " + e.getMessage(), e);
        }
        tasks.forEach(t -> t.executionId.complete(started.executionId()));
        Launched entry = new Launched(started.executionId(), name, source, trigger, started.restarted(), Instant.now());
        launched.put(entry.executionId(), entry);
        log.info("{}: execution {} launched by {}{} over {}", name, entry.executionId(), trigger, started.restarted() ? " (a restart)" : "", source);
        started.ended().whenComplete((outcome, failure) -> {
            launched.remove(entry.executionId());
            if (failure != null) {
                log.error("{}: execution {} ended, but its report could not be written: {}", name, entry.executionId(), failure.getMessage());
            } else {
                log.info("{}: execution {} ended {}; report in {}", name, entry.executionId(), outcome.status(), outcome.reportDirectory());
            }
        });
        return entry;
    }

    /**
     * Refuses new launches, stops the executions started here — each ends after its chunk in progress, STOPPED, and
     * the next launch over the same source restarts it; one still waiting for a thread ends STOPPED without running —
     * and waits up to {@code timeout} for them.
     *
     * @return true when every execution ended in time
     */
    synchronized boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        Setup s = setup;
        if (s == null) {
            return true;
        }
        List<Runnable> waiting = new ArrayList<>();
        s.pool().getQueue().drainTo(waiting);
        for (Runnable r : waiting) {
            long id = ((ExecutionTask) r).executionId.join();
            runner.stopWaiting(id, "serve stopped before it started");
            Launched entry = launched.remove(id);
            log.info("{}: execution {} had not started: STOPPED; the next launch restarts it", entry == null ? "?" : entry.jobName(), id);
        }
        for (Launched entry : launched.values()) {
            if (runner.stop(entry.executionId())) {
                log.info("{}: stopping execution {} after its current chunk", entry.jobName(), entry.executionId());
            }
        }
        s.pool().shutdown();
        boolean ended = s.pool().awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            log.warn("{} execution(s) still running after {}: {}", launched.size(), timeout, launched.keySet());
        }
        return ended;
    }

    private static LaunchException alreadyRunning(String name, String source, long executionId) {
        return new LaunchException(LaunchException.Reason.ALREADY_RUNNING, name + " is already running over " + source + ": execution "
                + executionId + "; launch it again once that execution has ended", executionId);
    }
}
