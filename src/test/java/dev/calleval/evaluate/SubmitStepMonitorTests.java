package dev.calleval.evaluate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submit step's monitor on a hand-driven clock: counts, the estimated total, pace and ETA, the Micrometer
 * counters, and the terminal line (redrawn in place, cleared before other output and at the end). No threads and no
 * sleeping: progress is taken by calling {@code progress()} as the progress thread would.
 */
class SubmitStepMonitorTests {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Double> fraction = new AtomicReference<>(0.0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SubmitStepMonitor monitor(ProgressOutput output) {
        return new SubmitStepMonitor("nightly", fraction::get, registry, output, Duration.ofDays(1), nanos::get);
    }

    private void advance(long seconds) {
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    private static StepExecution step() {
        JobExecution job = new JobExecution(1L, new JobInstance(1L, "nightly"), new JobParameters());
        return new StepExecution(1L, "submit", job);
    }

    @Test
    void estimatesTheTotalFromTheShareOfTheFileReadAndTheEtaFromTheRecentPace() {
        SubmitStepMonitor monitor = monitor(ProgressOutput.NONE);
        monitor.beforeStep(step());
        for (int i = 0; i < 1000; i++) {
            monitor.afterRead(new Object());
        }
        fraction.set(0.25);
        monitor.notSent(3, 97, 0);
        for (int i = 0; i < 200; i++) {
            monitor.submitted();
        }
        monitor.failed();
        monitor.leftInDoubt();
        monitor.rejectedByApi();
        advance(10);

        Progress p = monitor.progress();

        assertThat(p.read()).isEqualTo(1000);
        assertThat(p.total()).as("1000 rows in a quarter of the file").isEqualTo(4000);
        assertThat(p.totalExact()).isFalse();
        assertThat(p.submitted()).isEqualTo(200);
        assertThat(p.alreadyDone()).isEqualTo(97);
        assertThat(p.rejected()).isEqualTo(4);
        assertThat(p.settled()).isEqualTo(303);
        assertThat(p.callsPerSecond()).isEqualTo(20.0);
        assertThat(p.eta()).as("(4000 - 303) rows at 30.3 settled rows/s").isEqualTo(Duration.ofSeconds(122));
        assertThat(p.line()).isEqualTo("nightly: read 1000 of ~4000 rows (25 %), submitted 200, already done 97, rejected 4, "
                + "failed 1, in doubt 1, 20.0 calls/s, ETA 2m02s");

        assertThat(registry.get("calleval.rows.read").tag("job", "nightly").counter().count()).isEqualTo(1000);
        assertThat(registry.get("calleval.calls.submitted").tag("job", "nightly").counter().count()).isEqualTo(200);
        assertThat(registry.get("calleval.calls.already.done").tag("job", "nightly").counter().count()).isEqualTo(97);
        assertThat(registry.get("calleval.calls.rejected").tag("origin", "local").counter().count()).isEqualTo(3);
        assertThat(registry.get("calleval.calls.rejected").tag("origin", "api").counter().count()).isEqualTo(1);
        assertThat(registry.get("calleval.calls.failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("calleval.calls.in.doubt").counter().count()).isEqualTo(1);
    }

    @Test
    void thePaceIsThatOfTheLastTenSecondsNotOfTheWholeRun() {
        SubmitStepMonitor monitor = monitor(ProgressOutput.NONE);
        monitor.beforeStep(step());
        fraction.set(0.5);
        for (int i = 0; i < 600; i++) {
            monitor.afterRead(new Object());
            monitor.submitted();
        }
        advance(60);
        assertThat(monitor.progress().callsPerSecond()).isEqualTo(10.0);
        for (int i = 0; i < 10; i++) {
            advance(1);
            for (int j = 0; j < 2; j++) {
                monitor.submitted();
            }
            monitor.progress();
        }
        advance(1);
        Progress p = monitor.progress();
        assertThat(p.callsPerSecond()).as("18 calls in the last 10 s, not the 10/s of the first minute").isEqualTo(1.8);
    }

    @Test
    void theTotalIsExactOnceTheFileIsReadAndNoEtaIsShownAfterTheStep() {
        SubmitStepMonitor monitor = monitor(ProgressOutput.NONE);
        monitor.beforeStep(step());
        for (int i = 0; i < 15; i++) {
            monitor.afterRead(new Object());
        }
        fraction.set(1.0);
        advance(1);
        for (int i = 0; i < 5; i++) {
            monitor.submitted();
        }
        Progress running = monitor.progress();
        assertThat(running.line()).startsWith("nightly: read 15 of 15 rows (100 %), submitted 5, rejected 0, 5.0 calls/s, ETA 2s");

        for (int i = 0; i < 10; i++) {
            monitor.submitted();
        }
        monitor.afterStep(step());
        Progress done = monitor.progress();
        assertThat(done.eta()).isNull();
        assertThat(done.line()).isEqualTo("nightly: read 15 of 15 rows (100 %), submitted 15, rejected 0, 15.0 calls/s");
    }

    @Test
    void aStepStoppedPartWayKeepsTheEstimatedTotal() {
        SubmitStepMonitor monitor = monitor(ProgressOutput.NONE);
        monitor.beforeStep(step());
        for (int i = 0; i < 2; i++) {
            monitor.afterRead(new Object());
            monitor.submitted();
        }
        fraction.set(0.125);
        advance(1);
        StepExecution stopped = step();
        stopped.setStatus(BatchStatus.STOPPED);
        monitor.afterStep(stopped);
        assertThat(monitor.progress().line()).as("not 'read 2 of 2 rows (100 %)'")
                .isEqualTo("nightly: read 2 of ~16 rows (12 %), submitted 2, rejected 0, 2.0 calls/s");

        fraction.set(-1.0); // an s3-prefix listing: no total to estimate
        assertThat(monitor.progress().line()).isEqualTo("nightly: read 2 rows, submitted 2, rejected 0, 2.0 calls/s");
    }

    @Test
    void aStepThatCompletedCountsItsRowsAsTheTotal() {
        fraction.set(-1.0); // an s3-prefix listing, read to its end
        SubmitStepMonitor monitor = monitor(ProgressOutput.NONE);
        monitor.beforeStep(step());
        monitor.afterRead(new Object());
        monitor.submitted();
        advance(1);
        StepExecution completed = step();
        completed.setStatus(BatchStatus.COMPLETED);
        monitor.afterStep(completed);
        assertThat(monitor.progress().line()).isEqualTo("nightly: read 1 of 1 rows (100 %), submitted 1, rejected 0, 1.0 calls/s");
    }

    @Test
    void withoutASizeTheLineHasNoTotalAndNoEta() {
        fraction.set(-1.0);
        SubmitStepMonitor monitor = monitor(ProgressOutput.NONE);
        monitor.beforeStep(step());
        monitor.afterRead(new Object());
        advance(1);
        monitor.submitted();
        assertThat(monitor.progress().line()).isEqualTo("nightly: read 1 rows, submitted 1, rejected 0, 1.0 calls/s");
    }

    @Test
    void theTerminalLineIsRedrawnInPlaceClearedBeforeOtherOutputAndClearedAtTheEnd() {
        ByteArrayOutputStream terminalLine = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(logs, true, StandardCharsets.UTF_8);
        System.setOut(stdout);
        System.setErr(stderr);
        try {
            ProgressOutput.Terminal terminal = new ProgressOutput.Terminal(new PrintStream(terminalLine, true, StandardCharsets.UTF_8));
            terminal.start();
            Progress longer = new Progress("nightly", 10, 100, false, 9, 0, 1, 0, 0, 12.5, Duration.ofSeconds(72));
            Progress shorter = new Progress("nightly", 20, 20, true, 19, 0, 1, 0, 0, 9.0, null);
            terminal.show(longer);
            terminal.show(shorter);
            System.err.println("12:00:00.000 INFO  Submitter - a log line");
            terminal.show(shorter);
            System.out.println("sandbox: a line of the command");
            terminal.show(shorter);
            terminal.finish(shorter);
            System.out.println("after the step");

            String drawn = terminalLine.toString(StandardCharsets.UTF_8);
            int pad = longer.line().length() - shorter.line().length();
            String cleared = "\r" + " ".repeat(shorter.line().length()) + "\r";
            assertThat(drawn).isEqualTo("\r" + longer.line()
                    + "\r" + shorter.line() + " ".repeat(pad)
                    + cleared
                    + "\r" + shorter.line()
                    + cleared
                    + "\r" + shorter.line()
                    + cleared);
            assertThat(longer.line()).isEqualTo("nightly: read 10 of ~100 rows (10 %), submitted 9, rejected 1, 12.5 calls/s, ETA 1m12s");
            assertThat(logs.toString(StandardCharsets.UTF_8)).isEqualTo("12:00:00.000 INFO  Submitter - a log line" + System.lineSeparator());
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("sandbox: a line of the command"
                    + System.lineSeparator() + "after the step" + System.lineSeparator());
            assertThat(System.out).as("stdout is given back at the end").isSameAs(stdout);
            assertThat(System.err).as("stderr is given back at the end").isSameAs(stderr);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void durationsAreShortAndReadable() {
        assertThat(Progress.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Progress.duration(Duration.ofSeconds(843))).isEqualTo("14m03s");
        assertThat(Progress.duration(Duration.ofMinutes(125))).isEqualTo("2h05m");
    }
}
