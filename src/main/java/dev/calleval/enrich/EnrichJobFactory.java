package dev.calleval.enrich;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.execution.ExecutionHeartbeatListener;
import dev.calleval.execution.StopOnInterrupt;
import dev.calleval.jobfile.EnrichSettings;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.report.JobReports;
import dev.calleval.report.ReportListener;
import dev.calleval.report.ReportedJob;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
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
 * does (API key refused, every recent post failed, an unreadable listing); running it again restarts it. When it has
 * ended, its {@link ReportListener} writes {@code updates.csv}, {@code rejects.csv} and {@code summary.json}
 * ({@link EnrichReportWriter}).
 */
@Component
public class EnrichJobFactory {
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final SimulationUpdateLedger ledger;
    private final ExecutionHeartbeatListener heartbeat;
    private final JobReports reports;
    private final EnrichReportWriter reportWriter;
    private final StopOnInterrupt interruption;

    public EnrichJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, SimulationUpdateLedger ledger,
            ExecutionHeartbeatListener heartbeat, JobReports reports, EnrichReportWriter reportWriter,
            StopOnInterrupt interruption) {
        this.interruption = interruption;
        this.reports = reports;
        this.reportWriter = reportWriter;
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
     * @param launcher told of the execution's end after the heartbeat has ended and before the report is written
     * @return the job, with the outcome its report listener completes
     */
    public ReportedJob<EnrichSummary> build(JobDefinition.Enrich definition, BluejayClient client, boolean resendInDoubt,
            JobExecutionListener launcher) {
        EnrichSettings enrich = definition.enrich();
        SimulationLogSource source = SimulationLogSource.of(definition.enrichLocation(), enrich.sourceType());
        SimulationUpdateWriter writer = new SimulationUpdateWriter(ledger, client, definition.name(), definition.submit().maxInFlight(),
                resendInDoubt);
        Step step = new StepBuilder("enrich", jobRepository)
                .<SimulationLog, MappedUpdate>chunk(definition.submit().chunkSize())
                .interruptionPolicy(interruption)
                .transactionManager(transactionManager)
                .reader(new SimulationLogItemReader(source))
                .processor(new SimulationLogMapper())
                .writer(writer)
                .listener(writer)
                .allowStartIfComplete(true)
                .build();
        ReportListener<EnrichSummary> report = reports.listener(definition, execution -> {
            EnrichSummary summary = reportWriter.write(definition.report().localPath(), info(definition, client, execution, resendInDoubt));
            return new ReportListener.Written<>(summary, summary.reportDirectory());
        });
        // afterJob runs in the reverse order: heartbeat ended, then the launcher told, then the report written
        Job job = new JobBuilder(definition.name(), jobRepository)
                .listener(report)
                .listener(launcher)
                .listener(heartbeat)
                .start(step).on("FAILED").fail()
                .from(step).on("*").end()
                .end()
                .build();
        return new ReportedJob<>(job, report.outcome());
    }

    /** What the enrich report says of the execution beyond the ledger's rows. */
    private static EnrichReportWriter.ExecutionInfo info(JobDefinition.Enrich definition, BluejayClient client, JobExecution execution,
            boolean resendInDoubt) {
        var step = ExecutionHistory.step(execution, "enrich");
        return new EnrichReportWriter.ExecutionInfo(definition.name(), execution.getId(), execution.getStatus().name(),
                ExecutionHistory.exitDescription(execution, true), ExecutionHistory.instant(execution.getStartTime()),
                ExecutionHistory.instant(execution.getEndTime()), SimulationLogSource.shown(definition.enrichLocation()), client.endpoint().key(),
                step == null ? 0 : step.getReadCount(), resendInDoubt, JobReports.requests(client));
    }
}
