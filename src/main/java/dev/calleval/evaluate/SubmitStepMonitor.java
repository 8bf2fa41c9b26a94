package dev.calleval.evaluate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ItemReadListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.Ordered;

/**
 * Watches one submit step: counts rows read ({@link ItemReadListener}) and each row's outcome
 * ({@link SubmissionObserver}, told by the writer and the submitter) in atomic counters and the
 * {@code calleval.rows.read} / {@code calleval.calls.*} Micrometer counters tagged with the job, and shows progress
 * while the step runs ({@link StepExecutionListener}): a background thread draws a {@link Progress} every
 * {@code period}. Its {@code afterStep} runs after every other listener's (it orders itself first), so the last line
 * counts the calls the writer waited for.
 *
 * <p>The hot path (per row and per call) only increments counters; rates, estimates and formatting happen on the
 * progress thread.
 */
final class SubmitStepMonitor implements SubmissionObserver, ItemReadListener<Object>, StepExecutionListener, Ordered {
    /** Pace is measured over about this long (or since the previous line, when lines are further apart). */
    private static final long PACE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String job;
    private final DoubleSupplier readFraction;
    private final ProgressOutput output;
    private final Duration period;
    private final LongSupplier nanoTime;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong alreadyDone = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();
    private final AtomicLong leftOut = new AtomicLong();
    private final Counter rowsReadCounter;
    private final Counter submittedCounter;
    private final Counter alreadyDoneCounter;
    private final Counter rejectedLocalCounter;
    private final Counter rejectedApiCounter;
    private final Counter rejectedEarlierCounter;
    private final Counter failedCounter;
    private final Counter inDoubtCounter;
    private final Counter notSampledCounter;
    private final Counter deferredCounter;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private @Nullable ScheduledExecutorService ticker;
    private boolean running = true;
    /** Set when the step has ended: whether it read its source to the end (COMPLETED), so the count is the total. */
    private boolean readToEnd;
    private volatile Supplier<@Nullable String> budget = () -> null;

    private record Sample(long nanos, long submitted, long settled) {}

    /**
     * @param job the job's name (the {@code job} tag)
     * @param readFraction the share of the manifest read so far, 0–1, or negative when unknown (for the estimated total)
     * @param output where progress goes
     * @param period how often progress is shown
     * @param nanoTime the clock ({@link System#nanoTime} outside tests)
     */
    SubmitStepMonitor(String job, DoubleSupplier readFraction, MeterRegistry registry, ProgressOutput output, Duration period,
            LongSupplier nanoTime) {
        this.job = job;
        this.readFraction = readFraction;
        this.output = output;
        this.period = period;
        this.nanoTime = nanoTime;
        this.rowsReadCounter = counter(registry, "calleval.rows.read", "rows read from the manifest");
        this.submittedCounter = counter(registry, "calleval.calls.submitted", "calls the API accepted (POST /v1/evaluate)");
        this.alreadyDoneCounter = counter(registry, "calleval.calls.already.done", "rows an earlier run got accepted: not sent again");
        this.rejectedLocalCounter = rejected(registry, "local");
        this.rejectedApiCounter = rejected(registry, "api");
        this.rejectedEarlierCounter = rejected(registry, "api_earlier");
        this.failedCounter = counter(registry, "calleval.calls.failed", "calls not accepted: retries exhausted or the run stopped");
        this.inDoubtCounter = counter(registry, "calleval.calls.in.doubt", "calls that may exist, left in doubt");
        this.notSampledCounter = counter(registry, "calleval.calls.not.sampled", "calls outside the job's sampling.percent: not sent");
        this.deferredCounter = counter(registry, "calleval.calls.deferred", "calls past the run's sampling.max-calls: the next run sends them");
    }

    private Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).tag("job", job).register(registry);
    }

    private Counter rejected(MeterRegistry registry, String origin) {
        return Counter.builder("calleval.calls.rejected")
                .description("rows rejected, never sent: by local checks, by the API (422 or another 4xx), or by the API in an earlier run")
                .tag("job", job).tag("origin", origin).register(registry);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE; // first before the step, last after it
    }

    @Override
    public void afterRead(Object item) {
        read.incrementAndGet();
        rowsReadCounter.increment();
    }

    @Override
    public void notSent(int rejectedRows, int alreadyDoneRows, int alreadyRejectedRows) {
        if (rejectedRows > 0) {
            rejectedLocalCounter.increment(rejectedRows);
        }
        if (alreadyRejectedRows > 0) {
            rejectedEarlierCounter.increment(alreadyRejectedRows);
        }
        if (alreadyDoneRows > 0) {
            alreadyDoneCounter.increment(alreadyDoneRows);
        }
        rejected.addAndGet(rejectedRows + alreadyRejectedRows);
        alreadyDone.addAndGet(alreadyDoneRows);
    }

    @Override
    public void leftOut(int notSampled, int deferred) {
        if (notSampled > 0) {
            notSampledCounter.increment(notSampled);
        }
        if (deferred > 0) {
            deferredCounter.increment(deferred);
        }
        leftOut.addAndGet(notSampled + deferred);
    }

    @Override
    public void submitted() {
        submitted.incrementAndGet();
        submittedCounter.increment();
    }

    @Override
    public void rejectedByApi() {
        rejected.incrementAndGet();
        rejectedApiCounter.increment();
    }

    @Override
    public void failed() {
        failed.incrementAndGet();
        failedCounter.increment();
    }

    @Override
    public void leftInDoubt() {
        inDoubt.incrementAndGet();
        inDoubtCounter.increment();
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        synchronized (this) {
            samples.clear();
            samples.add(new Sample(nanoTime.getAsLong(), submitted.get(), settled()));
            running = true;
        }
        if (output != ProgressOutput.NONE) {
            output.start();
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "progress-" + job);
                thread.setDaemon(true);
                return thread;
            });
            long millis = Math.max(1, period.toMillis());
            executor.scheduleAtFixedRate(() -> output.show(progress()), millis, millis, TimeUnit.MILLISECONDS);
            ticker = executor;
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        ScheduledExecutorService executor = ticker;
        ticker = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            running = false;
            readToEnd = stepExecution.getStatus() == BatchStatus.COMPLETED;
        }
        output.finish(progress());
        return stepExecution.getExitStatus();
    }

    private long settled() {
        return submitted.get() + alreadyDone.get() + rejected.get() + failed.get() + inDoubt.get() + leftOut.get();
    }

    /**
     * The progress now. The pace is measured since the oldest sample kept: samples of the last
     * {@link #PACE_WINDOW_NANOS} and the one before them. The total is estimated as {@code read / share of the file
     * read}; the ETA is the rows not yet settled over the recent pace of settled rows.
     */
    synchronized Progress progress() {
        long now = nanoTime.getAsLong();
        long rowsRead = read.get();
        long settledNow = settled();
        long submittedNow = submitted.get();
        samples.addLast(new Sample(now, submittedNow, settledNow));
        while (samples.size() > 2 && now - secondOldest().nanos() >= PACE_WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample oldest = samples.getFirst();
        double seconds = (now - oldest.nanos()) / 1e9;
        double callsPerSecond = seconds > 0 ? (submittedNow - oldest.submitted()) / seconds : 0;
        double settledPerSecond = seconds > 0 ? (settledNow - oldest.settled()) / seconds : 0;

        double fraction = readFraction.getAsDouble();
        // a step stopped or failed part-way keeps the estimate: its rows read are not the manifest's
        boolean exact = fraction >= 1.0 || (!running && readToEnd);
        long total = exact ? rowsRead : fraction > 0 && rowsRead > 0 ? Math.max(rowsRead, Math.round(rowsRead / fraction)) : -1;
        Duration eta = null;
        long left = total - settledNow;
        if (running && total >= 0 && left > 0 && settledPerSecond > 0) {
            eta = Duration.ofSeconds(Math.round(left / settledPerSecond));
        }
        return new Progress(job, rowsRead, total, exact, submittedNow, alreadyDone.get(), rejected.get(), failed.get(), inDoubt.get(),
                leftOut.get(), callsPerSecond, eta, budget.get());
    }

    /** Shows {@code shown} (this execution's share of its account's budget; null: none) at the end of each progress line. */
    void showBudget(Supplier<@Nullable String> shown) {
        this.budget = shown;
    }

    private Sample secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }
}
