package dev.calleval.evaluate;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.RequestBudget;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.execution.ExecutionHeartbeatListener;
import dev.calleval.execution.StopOnInterrupt;
import dev.calleval.jobfile.CallDefaults;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.SourceSettings;
import dev.calleval.jobfile.SubmitSettings;
import dev.calleval.ledger.CallResults;
import dev.calleval.ledger.Ledger;
import dev.calleval.mapping.CallMapper;
import dev.calleval.mapping.MappedCall;
import dev.calleval.mapping.MappingDefaults;
import dev.calleval.mapping.S3Recordings;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.quality.RunCheck;
import dev.calleval.report.JobReports;
import dev.calleval.report.ReportListener;
import dev.calleval.report.ReportWriter;
import dev.calleval.report.ReportedJob;
import dev.calleval.report.RunSummary;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import dev.calleval.source.CallRecord;
import dev.calleval.source.ColumnMapping;
import dev.calleval.source.ManifestItemReader;
import dev.calleval.source.S3PrefixItemReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the Spring Batch job for one job definition; the Spring Batch job name is the definition's name.
 * <ol>
 *   <li>{@code submit}: chunk step — {@link ManifestItemReader} → {@link CallMapper} → {@link SubmissionWriter}.
 *       A restart (same job instance after a failure) reads the manifest again from the top: rows that ended
 *       FAILED are sent again, accepted ones are counted as already done. No skip or retry policy: every row's outcome is decided by the
 *       mapping and recorded in the ledger; API requests are retried in the client only, database work (a lost connection)
 *       in {@link DatabaseRetry} only. A {@link SubmitStepMonitor} listens
 *       to it (progress line or log lines, {@code calleval.calls.*} counters).</li>
 *   <li>{@code reconcile}: {@link ReconcileTasklet}; skipped when submit fails (also when a CSV syntax error in the
 *       manifest ended its read: the rows before it were sent, their results come by webhook or are reconciled by
 *       the next run, which restarts this one).</li>
 * </ol>
 * The job keeps a heartbeat ({@link ExecutionHeartbeatListener}) from before the first step to its end, so that
 * overlapping runs leave the calls it claimed alone while it is alive. When it has ended, its {@link ReportListener}
 * writes {@code calls.csv}, {@code rejects.csv}, {@code summary.json} and {@code report.html} ({@link ReportWriter})
 * and saves what the report needs in the execution's context ({@link ExecutionHistory}).
 */
@Component
public class EvaluateJobFactory {
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final Ledger ledger;
    private final Reconciler reconciler;
    private final CallResults results;
    private final Clock clock;
    private final ExecutionHeartbeatListener heartbeat;
    private final S3Storage s3;
    private final SubmitMonitoring monitoring;
    private final DatabaseRetry retry;
    private final JobReports reports;
    private final ReportWriter reportWriter;
    private final ExecutionHistory history;
    private final RunCheck runCheck;
    private final StopOnInterrupt interruption;

    public EvaluateJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, Ledger ledger,
            Reconciler reconciler, CallResults results, Clock clock, ExecutionHeartbeatListener heartbeat, S3Storage s3, SubmitMonitoring monitoring,
            DatabaseRetry retry, JobReports reports, ReportWriter reportWriter, ExecutionHistory history, RunCheck runCheck, StopOnInterrupt interruption) {
        this.runCheck = runCheck;
        this.interruption = interruption;
        this.retry = retry;
        this.reports = reports;
        this.reportWriter = reportWriter;
        this.history = history;
        this.s3 = s3;
        this.monitoring = monitoring;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.ledger = ledger;
        this.reconciler = reconciler;
        this.results = results;
        this.clock = clock;
        this.heartbeat = heartbeat;
    }

    /**
     * {@link #checkManifest(JobDefinition.Evaluate, S3Storage)} with this factory's S3 access.
     *
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read
     */
    public java.util.Optional<dev.calleval.source.ManifestHeader> checkManifest(JobDefinition.Evaluate definition) {
        return checkManifest(definition, s3);
    }

    /**
     * The job for {@code definition}, sending through {@code client} and waiting up to {@code waitForResults}, with the
     * outcome its report listener completes.
     *
     * @param launcher told of the execution's end after the heartbeat has ended and before the report is written
     */
    public ReportedJob<RunSummary> build(JobDefinition.Evaluate definition, BluejayClient client, Duration waitForResults,
            JobExecutionListener launcher) {
        Step submit = submitStep(definition, client);
        Step reconcile = new StepBuilder("reconcile", jobRepository)
                .tasklet(new ReconcileTasklet(reconciler, results, client, definition.results(), waitForResults, clock,
                        new TransactionTemplate(transactionManager), retry), new ResourcelessTransactionManager())
                .allowStartIfComplete(true)
                .build();
        ReportListener<RunSummary> report = reports.listener(definition, execution -> {
            Path directory = definition.report().localPath();
            RunSummary summary = reportWriter.write(directory, history.record(execution, definition.sourceShown(), directory,
                    JobReports.requests(client)), definition.quality());
            if (definition.quality() != null && execution.getStatus() == org.springframework.batch.core.BatchStatus.COMPLETED) {
                runCheck.afterRun(definition.name(), execution.getId(), definition.quality().comparison(), definition.quality().baselineLast());
            }
            return new ReportListener.Written<>(summary, summary.reportDirectory());
        });
        // afterJob runs in the reverse order: heartbeat ended, then the launcher told, then the report written
        Job job = new JobBuilder(definition.name(), jobRepository)
                .listener(report)
                .listener(launcher)
                .listener(heartbeat)
                .start(submit).on("FAILED").fail()
                .from(submit).on("*").to(reconcile)
                .end()
                .build();
        return new ReportedJob<>(job, report.outcome());
    }

    private Step submitStep(JobDefinition.Evaluate definition, BluejayClient client) {
        ItemStreamReader<CallRecord> reader = reader(definition, s3, definition.submit().chunkSize(), false);
        CallMapper mapper = new CallMapper(mappingDefaults(definition), s3Recordings(definition, s3));
        // progress: how far into the manifest the read is (an s3-prefix listing has no known end: no ETA)
        SubmitStepMonitor monitor = monitoring.monitor(definition.name(),
                reader instanceof ManifestItemReader manifest ? manifest::readFraction : () -> -1);
        monitor.showBudget(() -> {
            RequestBudget.Share share = client.budgetShare();
            return share == null ? null : share.shown();
        });
        SubmissionWriter writer = new SubmissionWriter(ledger, client, definition.name(), definition.submit().maxInFlight(),
                inDoubtLookup(definition.submit()), monitor, transactionManager, retry, definition.sampling().sampling());
        var step = new StepBuilder("submit", jobRepository)
                .<CallRecord, MappedCall>chunk(definition.submit().chunkSize())
                .interruptionPolicy(interruption)
                // no database connection in the chunk transaction: the writer claims in a transaction of its own, and the
                // job repository updates the step execution in its own (both run again when the connection is lost)
                .transactionManager(new ResourcelessTransactionManager())
                .reader(reader)
                .processor(mapper)
                .writer(writer)
                .listener(monitor)
                .listener(writer);
        if (reader instanceof ManifestItemReader manifest) {
            step.listener((org.springframework.batch.core.listener.StepListener) manifest); // fails the step when a CSV syntax error ended the read
        }
        return step.build();
    }

    /**
     * The reader of an evaluate job's source: a {@link ManifestItemReader}, or an {@link S3PrefixItemReader} for
     * {@code source.type: s3-prefix} (the definition's parameters must be applied: {@link JobDefinition#withParameters}).
     *
     * @param chunkSize records the mapping handles after they are read (the prefix reader keeps their files that long)
     * @param resume on a restart, skip what a previous execution read
     */
    public static ItemStreamReader<CallRecord> reader(JobDefinition.Evaluate definition, S3Storage s3, int chunkSize, boolean resume) {
        SourceSettings source = definition.source();
        if (source.isS3Prefix()) {
            return new S3PrefixItemReader(s3, S3Location.parse(source.resolvedLocation()), source.pageSize(), chunkSize + 1, resume);
        }
        return manifestReader(definition, s3, resume);
    }

    /**
     * Checks that an evaluate job's manifest can be read, before a job execution is created for it: it exists, is
     * readable, not empty, UTF-8 text (or gzip-compressed UTF-8) with a header row. Reads the header only.
     *
     * @return the manifest's header (with the columns calleval ignores); empty for an {@code s3-prefix} source
     * @throws dev.calleval.source.ManifestException naming the manifest and what to do
     */
    public static java.util.Optional<dev.calleval.source.ManifestHeader> checkManifest(JobDefinition.Evaluate definition, S3Storage s3) {
        if (definition.source().isS3Prefix()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(manifestReader(definition, s3, false).check());
    }

    /**
     * The reader of an evaluate job's manifest, local or in S3; rejects name it as the operator sees it
     * ({@link JobDefinition.Evaluate#sourceShown()}).
     *
     * @param resume on a restart, skip the records already read (the evaluate job reads from the top instead)
     */
    public static ManifestItemReader manifestReader(JobDefinition.Evaluate definition, S3Storage s3, boolean resume) {
        return new ManifestItemReader(definition.manifest(), s3, definition.sourceShown(),
                new ColumnMapping(definition.source().columns()), resume);
    }

    /**
     * How a job reads {@code s3://} inputs and delivers S3 recordings: presigned URLs valid for
     * {@code defaults.recording-url-ttl} (else {@code calleval.s3.presign-ttl}).
     *
     * @throws dev.calleval.s3.S3ConfigurationException when the TTL is out of range
     */
    public static S3Recordings s3Recordings(JobDefinition.Evaluate definition, S3Storage s3) {
        CallDefaults d = definition.defaults();
        return new S3Recordings(s3, d.recordingUrlTtl() != null ? d.recordingUrlTtl() : s3.settings().presignTtl(), d.recordingUrlTooLong());
    }

    /** The mapping defaults of a job's {@code defaults:} section, with its {@code redaction:}. */
    public static MappingDefaults mappingDefaults(JobDefinition.Evaluate definition) {
        CallDefaults d = definition.defaults();
        return new MappingDefaults(definition.name(), d.agentId(), d.externalAgentId(), d.tags(), d.customMetrics(),
                d.customMetricTags(), d.label(), d.callDirection(), d.callInterface(), d.multichannel(), d.metadata(),
                d.maxRecordingSize().toBytes(), definition.transcript().formatOrDetect(), definition.transcript().speakerMapping(),
                definition.redaction().policy());
    }

    /** How a request that failed ambiguously is settled: the job file's {@code submit.in-doubt} with its request timeout. */
    private static InDoubtLookup inDoubtLookup(SubmitSettings submit) {
        return new InDoubtLookup(submit.inDoubt().lookupDelay(), submit.requestTimeout(), submit.inDoubt().maxPages());
    }
}
