package dev.calleval.launch;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.jobfile.BluejayClientFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.report.JobOutcome;
import dev.calleval.report.RunSummary;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.configuration.JobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One JobOperator and one JobRegistry serve the process: each launch registers the job it built under the job's
 * name, replacing the previous launch's, runs it in the caller's thread and has its report written by the time the
 * run returns.
 */
@SpringBootTest(properties = {"calleval.cli.enabled=false", "CALLEVAL_DB_URL=jdbc:h2:mem:one-job-operator;DB_CLOSE_DELAY=-1"})
class OneJobOperatorTests {
    @Autowired
    JobRunner runner;

    @Autowired
    JobRegistry jobRegistry;

    @Autowired
    BluejayClientFactory clients;

    @Autowired
    ApplicationContext context;

    @TempDir
    Path work;

    @Test
    void eachLaunchRegistersItsJobByNameInTheOneRegistryAndWritesItsReport() throws Exception {
        Files.writeString(work.resolve("calls.csv"), "call_id,agent_id\n"); // no rows: nothing is sent
        Path file = Files.writeString(work.resolve("nightly.yaml"), """
                name: nightly
                source:
                  location: calls.csv
                report:
                  directory: %s
                """.formatted(work.resolve("reports")));
        JobDefinition.Evaluate definition = (JobDefinition.Evaluate) new JobDefinitions(work).load(file.toString());
        assertThat(context.getBeansOfType(JobOperator.class)).hasSize(1);
        assertThat(context.getBeansOfType(JobRegistry.class)).hasSize(1);
        assertThat(context.containsBean("applicationTaskExecutor")).as("Spring Boot's own task executor is still there").isTrue();

        JobOutcome<RunSummary> first = runner.run(definition, clients.create(definition, URI.create("http://127.0.0.1:9"), ApiKey.of("k")),
                Duration.ZERO);
        Job firstJob = jobRegistry.getJob("nightly");
        JobOutcome<RunSummary> second = runner.run(definition, clients.create(definition, URI.create("http://127.0.0.1:9"), ApiKey.of("k")),
                Duration.ZERO);

        assertThat(first.completed()).isTrue();
        assertThat(second.completed()).isTrue();
        assertThat(second.executionId()).isGreaterThan(first.executionId());
        assertThat(jobRegistry.getJobNames()).contains("nightly");
        assertThat(jobRegistry.getJob("nightly")).as("replaced by the job built for the second launch").isNotNull().isNotSameAs(firstJob);
        assertThat(Path.of(second.reportDirectory()).resolve("summary.json")).as("written before run returned").isRegularFile();
        assertThat(second.summary().rowsRead()).isZero();

        java.util.List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobRunner.Started started = runner.start(definition, clients.create(definition, URI.create("http://127.0.0.1:9"), ApiKey.of("k")),
                Duration.ZERO, task -> {
                    Thread thread = new Thread(task, "launched-elsewhere");
                    threads.add(thread);
                    thread.start();
                });
        JobOutcome<?> third = started.ended().get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(threads).as("the one operator ran the execution on the executor start was given").hasSize(1);
        assertThat(third.executionId()).isEqualTo(started.executionId());
        assertThat(third.completed()).isTrue();
    }
}
