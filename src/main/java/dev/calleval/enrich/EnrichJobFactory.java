package dev.calleval.enrich;

import dev.calleval.jobfile.EnrichSettings;
import dev.calleval.execution.ExecutionHeartbeatListener;
import dev.calleval.execution.StopOnInterrupt;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.bluejay.BluejayClient;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Builds the Spring Batch job of an enrich job definition ({@code enrich:} section); the Spring Batch job name is
 * the definition's name. One chunk step, {@code enrich}: {@link SimulationLogItemReader} (directory or manifest)
 * → {@link SimulationLogMapper} → {@link SimulationUpdateWriter}, which claims each chunk's results in the
 * ledger inside the chunk transaction and posts them after commit, {@code submit.max-in-flight} at a time through
 * the run's client (its rate limit and retry). The step reads the listing from the top on every run, restarts
 * included: the ledger decides what is posted, so no skip or retry policy is needed. The job fails when the step
 * does (API key refused, every recent post failed, an unreadable listing); running it again restarts it.
 */
@Component
public class EnrichJobFactory {
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final SimulationUpdateLedger ledger;
    private final ExecutionHeartbeatListener heartbeat;

    public EnrichJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, SimulationUpdateLedger ledger,
            ExecutionHeartbeatListener heartbeat) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.ledger = ledger;
        this.heartbeat = heartbeat;
    }

    /**
     * The job for an enrich definition, posting through {@code client}.
     *
     * @param resendInDoubt post again the results earlier runs left IN_DOUBT (the job file's
     *     {@code enrich.resend-in-doubt}, or the command line's {@code --resend-in-doubt})
     */
    public Job build(JobDefinition definition, BluejayClient client, boolean resendInDoubt) {
        EnrichSettings enrich = definition.requireEnrich();
        SimulationLogSource source = SimulationLogSource.of(definition.enrichLocation(), enrich.sourceType());
        SimulationUpdateWriter writer = new SimulationUpdateWriter(ledger, client, definition.name(), definition.submit().maxInFlight(),
                resendInDoubt);
        Step step = new StepBuilder("enrich", jobRepository)
                .<SimulationLog, MappedUpdate>chunk(definition.submit().chunkSize())
                .interruptionPolicy(new StopOnInterrupt())
                .transactionManager(transactionManager)
                .reader(new SimulationLogItemReader(source))
                .processor(new SimulationLogMapper())
                .writer(writer)
                .listener(writer)
                .allowStartIfComplete(true)
                .build();
        return new JobBuilder(definition.name(), jobRepository)
                .listener(heartbeat)
                .start(step).on("FAILED").fail()
                .from(step).on("*").end()
                .end()
                .build();
    }
}
