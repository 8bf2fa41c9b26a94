package dev.calleval.reevaluate;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.execution.ExecutionHeartbeatListener;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.ledger.Reevaluations;
import dev.calleval.ledger.RoundCall;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.report.JobReports;
import dev.calleval.report.ReportListener;
import dev.calleval.report.ReportedJob;
import dev.calleval.report.RoundReport;
import dev.calleval.report.RoundSummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.stereotype.Component;

/**
 * Builds the Spring Batch job of a re-evaluation round for an evaluate job: {@code reevaluate-<job>}, its identifying
 * parameter {@code source} the selection ({@link Selection#key()}), so that one round is one job instance and running the
 * same command after a failed or killed round restarts that round (launched by {@code launch/JobRunner} like the
 * evaluate job: a live execution of the same round refuses a second, exit 4).
 * <ol>
 *   <li>{@code send}: {@link SendTasklet};</li>
 *   <li>{@code reconcile}: {@link RoundReconcileTasklet}; skipped when send fails.</li>
 * </ol>
 * Both run again on a restart (what the round already sent is not sent again). A heartbeat
 * ({@link ExecutionHeartbeatListener}) runs from the first step to the end; then the report is written:
 * {@code <report.directory>/reevaluate-<job>/<execution id>/} ({@link RoundReport}).
 */
@Component
public class ReevaluateJobFactory {
    /** The Spring Batch job name prefix of rounds: {@code reevaluate-<job>}. */
    public static final String PREFIX = "reevaluate-";

    private final JobRepository jobRepository;
    private final Reevaluations rounds;
    private final Reconciler reconciler;
    private final Clock clock;
    private final ExecutionHeartbeatListener heartbeat;
    private final DatabaseRetry retry;
    private final JobReports reports;

    public ReevaluateJobFactory(JobRepository jobRepository, Reevaluations rounds, Reconciler reconciler, Clock clock,
            ExecutionHeartbeatListener heartbeat, DatabaseRetry retry, JobReports reports) {
        this.jobRepository = jobRepository;
        this.rounds = rounds;
        this.reconciler = reconciler;
        this.clock = clock;
        this.heartbeat = heartbeat;
        this.retry = retry;
        this.reports = reports;
    }

    /**
     * The calls {@code selection} chooses among the job's evaluated calls at {@code endpoint}, with their latest
     * evaluation, in ledger order: what a round would send ({@code --dry-run}). Reads only.
     */
    public List<Reevaluations.Evaluated> chosen(JobDefinition.Evaluate definition, BluejayEndpoint endpoint, Selection selection) {
        return SendTasklet.chosen(rounds, definition.name(), endpoint, selection);
    }

    /** Every call of round {@code roundId} at {@code endpoint}, old and new evaluation, in ledger order. */
    public List<RoundCall> round(String roundId, BluejayEndpoint endpoint) {
        return rounds.round(roundId, endpoint);
    }

    /**
     * The round's job for {@code definition}'s calls chosen by {@code selection}, sending through {@code client} and
     * waiting up to {@code waitForResults} for the new evaluations.
     *
     * @param launcher told of the execution's end after the heartbeat has ended and before the report is written
     */
    public ReportedJob<RoundSummary> build(JobDefinition.Evaluate definition, Selection selection, BluejayClient client, Duration waitForResults,
            JobExecutionListener launcher) {
        RoundCounts counts = new RoundCounts();
        Step send = new StepBuilder("send", jobRepository)
                .tasklet(new SendTasklet(rounds, client, definition.name(), selection, counts), new ResourcelessTransactionManager())
                .allowStartIfComplete(true)
                .build();
        Step reconcile = new StepBuilder("reconcile", jobRepository)
                .tasklet(new RoundReconcileTasklet(reconciler, rounds, client, definition.results(), waitForResults, clock, retry),
                        new ResourcelessTransactionManager())
                .allowStartIfComplete(true)
                .build();
        String jobName = PREFIX + definition.name();
        ReportListener<RoundSummary> report = reports.listener(jobName, definition.report(), execution -> {
            Path directory = definition.report().localPath().resolve(jobName).resolve(Long.toString(execution.getId()));
            RoundSummary summary = RoundReport.write(directory, header(definition, selection, client, execution, counts),
                    rounds.round(SendTasklet.roundId(execution), client.endpoint()));
            return new ReportListener.Written<>(summary, summary.reportDirectory());
        });
        Job job = new JobBuilder(jobName, jobRepository)
                .listener(report)
                .listener(launcher)
                .listener(heartbeat)
                .start(send).on("FAILED").fail()
                .from(send).on("*").to(reconcile)
                .end()
                .build();
        return new ReportedJob<>(job, report.outcome());
    }

    private static RoundSummary header(JobDefinition.Evaluate definition, Selection selection, BluejayClient client, JobExecution execution,
            RoundCounts c) {
        return new RoundSummary(definition.name(), SendTasklet.roundId(execution), execution.getId(), execution.getStatus().name(),
                selection.key(), client.endpoint().key(), new RoundSummary.ThisExecution(c.chosen, c.sent, c.alreadyInRound, c.foundSent,
                        c.rejected, c.failed, c.inDoubt, c.runningElsewhere, c.waitingInAnotherRound), new RoundSummary.RoundTotals(0, 0, 0, 0, 0, 0, 0), 0, "");
    }
}
