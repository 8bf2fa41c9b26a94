package dev.calleval.launch;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.jobfile.BluejayClientFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.report.JobOutcome;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JobRunner#stop}, as serve's stopping uses it: the execution's submit step ends after its chunk in progress,
 * STOPPED and restartable, and the stopping thread leaves the running step execution's row to the step's own thread.
 * With {@code JobOperator.stop} it wrote that row too, and when the step's next write lost the race on the row's
 * version the execution ended FAILED (Spring Batch 6.0; seen in {@code ServeFunctionalTests} under load).
 */
@SpringBootTest(properties = {"calleval.cli.enabled=false", "CALLEVAL_DB_URL=jdbc:h2:mem:job-runner-stop;DB_CLOSE_DELAY=-1"})
class JobRunnerStopTests {
    private static final int ROWS = 12;

    @Autowired
    JobRunner runner;

    @Autowired
    BluejayClientFactory clients;

    @Autowired
    DataSource dataSource;

    @TempDir
    Path work;

    @Test
    void aStoppedExecutionEndsStoppedAfterItsChunkAndOnlyItsStepWritesTheStepExecution() throws Exception {
        Files.writeString(work.resolve("transcript.json"), """
                [{"start_offset_ms": 300, "end_offset_ms": 3600, "speaker": "AGENT", "utterance": "Thanks for calling."},
                 {"start_offset_ms": 4400, "end_offset_ms": 7900, "speaker": "USER", "utterance": "Where is my order?"}]""");
        StringBuilder csv = new StringBuilder("call_id,agent_id,start_time_utc,recording,transcript\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append("stop-%02d,1234,2026-11-19T08:%02d:00Z,https://recordings.example.com/%02d.wav,transcript.json\n".formatted(i, i, i));
        }
        Files.writeString(work.resolve("calls.csv"), csv);
        Path file = Files.writeString(work.resolve("stopping.yaml"), """
                name: stopping
                source:
                  location: calls.csv
                submit:
                  rate-limit: 50
                  max-in-flight: 1
                  chunk-size: 2
                report:
                  directory: %s
                """.formatted(work.resolve("reports")));
        JobDefinition.Evaluate definition = (JobDefinition.Evaluate) new JobDefinitions(work).load(file.toString());

        Logger logger = (Logger) LoggerFactory.getLogger(JobRunner.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        // each evaluate answered after 700 ms, one at a time: the step is mid-chunk for seconds
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withLatency(Duration.ofMillis(700)))) {
            BluejayClient client = clients.create(definition, sandbox.baseUri(), ApiKey.of("test-key"), BluejayEndpoint.of(sandbox.baseUri()));
            JobRunner.Started started = runner.start(definition, client, Duration.ZERO, pool);
            long id = started.executionId();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (sandbox.requests().stream().noneMatch(r -> r.endpoint() == SandboxEndpoint.EVALUATE) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(sandbox.requests()).as("the first chunk's first call sent").anyMatch(r -> r.endpoint() == SandboxEndpoint.EVALUATE);

            // the step's thread writes its step execution once per chunk (a slow machine may commit one meanwhile);
            // JobOperator.stop wrote it once more, from this thread
            List<Long> before = stepColumns(id, "VERSION", "COMMIT_COUNT");
            assertThat(runner.stop(id)).isTrue();
            List<Long> after = stepColumns(id, "VERSION", "COMMIT_COUNT");
            assertThat(after.get(0) - before.get(0)).as("writes of the running step execution while it was stopped, beyond its chunks' (%s -> %s)",
                    before, after).isEqualTo(after.get(1) - before.get(1));

            JobOutcome<?> outcome = started.ended().get(60, TimeUnit.SECONDS);
            assertThat(outcome.status()).isEqualTo("STOPPED");
            // the chunks claimed before the stop (the one in progress included: a chunk's calls are sent while the next
            // is read) are all sent; the rest is left for the restart
            List<Long> counts = stepCounts(id);
            assertThat(counts.get(0)).as("rows read").isLessThan(ROWS).isEqualTo(counts.get(1));
            assertThat(sandbox.requests().stream().filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE).count()).as("calls sent")
                    .isEqualTo(counts.get(1));
            assertThat(runner.stop(id)).as("no longer running").isFalse();
            List<String> told = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
            assertThat(told).as("a stop is no failure: no error line, no stack trace").containsExactly("INFO stopping execution " + id + " ended STOPPED");
        } finally {
            pool.shutdownNow();
            logger.detachAppender(logged);
        }
    }

    private List<Long> stepCounts(long executionId) throws Exception {
        return stepColumns(executionId, "READ_COUNT", "WRITE_COUNT");
    }

    /** Columns of the execution's submit step execution. */
    private List<Long> stepColumns(long executionId, String... columns) throws Exception {
        try (Connection db = dataSource.getConnection();
                PreparedStatement query = db.prepareStatement("SELECT " + String.join(", ", columns)
                        + " FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = ? AND STEP_NAME = 'submit'")) {
            query.setLong(1, executionId);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("the submit step execution of execution " + executionId).isTrue();
                List<Long> values = new java.util.ArrayList<>();
                for (int i = 1; i <= columns.length; i++) {
                    values.add(rs.getLong(i));
                }
                return values;
            }
        }
    }
}
