package dev.calleval.launch;

import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link JobRunner#running}, the check a launch API makes before launching: an execution the job repository has as
 * STARTED is running while it is starting or its heartbeat is alive, and no longer once it has ended.
 */
@SpringBootTest(properties = {"calleval.cli.enabled=false", "CALLEVAL_DB_URL=jdbc:h2:mem:job-runner-running;DB_CLOSE_DELAY=-1"})
class JobRunnerRunningTests {
    @Autowired
    JobRunner runner;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    ExecutionLiveness liveness;

    @TempDir
    Path work;

    @Test
    void anExecutionIsRunningWhileStartingOrAliveAndNotOnceEnded() throws Exception {
        Path manifest = Files.writeString(work.resolve("calls.csv"), "call_id,agent_id\n");
        Path file = Files.writeString(work.resolve("nightly.yaml"), "name: nightly\nsource:\n  location: calls.csv\n");
        JobDefinition.Evaluate definition = (JobDefinition.Evaluate) new JobDefinitions(work).load(file.toString());
        assertThat(runner.running(definition)).isEmpty();

        JobParameters parameters = new JobParametersBuilder().addString("source", definition.manifestPath().toString(), true)
                .addLong("run", 1L, true).toJobParameters();
        JobInstance instance = jobRepository.createJobInstance("nightly", parameters);
        JobExecution execution = jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
        execution.setStatus(BatchStatus.STARTED);
        execution.setStartTime(LocalDateTime.now());
        jobRepository.update(execution);

        assertThat(runner.running(definition)).as("just created, no heartbeat yet: starting").hasValueSatisfying(r -> {
            assertThat(r.executionId()).isEqualTo(execution.getId());
            assertThat(r.heartbeat()).isNull();
        });
        assertThat(runner.running("nightly", manifest.resolveSibling("other.csv").toString())).as("another source").isEmpty();

        assertThat(liveness.started(execution.getId(), "nightly", definition.manifestPath().toString())).isEmpty();
        assertThat(runner.running(definition)).hasValueSatisfying(r -> assertThat(r.heartbeat().alive()).isTrue());

        liveness.ended(execution.getId()); // as a process that dies mid-run looks once its heartbeat is stale
        assertThat(runner.running(definition)).as("STARTED in the repository, but dead").isEmpty();
    }
}
