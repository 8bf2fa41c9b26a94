package dev.calleval.job;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.ledger.Ledger;
import dev.calleval.manifest.CallRecord;
import dev.calleval.manifest.ColumnMapping;
import dev.calleval.manifest.ManifestItemReader;
import dev.calleval.mapping.CallMapper;
import dev.calleval.mapping.MappedCall;
import dev.calleval.mapping.MappingDefaults;
import dev.calleval.monitoring.SubmitMonitoring;
import dev.calleval.monitoring.SubmitStepMonitor;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.submission.SubmissionWriter;
import java.time.Clock;
import java.time.Duration;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Builds the Spring Batch job for one job definition; the Spring Batch job name is the definition's name.
 * <ol>
 *   <li>{@code submit}: chunk step — {@link ManifestItemReader} → {@link CallMapper} → {@link SubmissionWriter}.
 *       A restart (same job instance after a failure) reads the manifest again from the top: rows that ended
 *       FAILED are sent again, accepted ones are counted as already done. No skip or retry policy: every row's outcome is decided by the
 *       mapping and recorded in the ledger, and retries happen in the client only. A {@link SubmitStepMonitor} listens
 *       to it (progress line or log lines, {@code calleval.calls.*} counters).</li>
 *   <li>{@code reconcile}: {@link ReconcileTasklet}; skipped when submit fails.</li>
 * </ol>
 */
@Component
public class EvaluateJobFactory {
    private final JobRepository jobRepository;
    private final PlatformTransactionManager transactionManager;
    private final Ledger ledger;
    private final Reconciler reconciler;
    private final Clock clock;
    private final SubmitMonitoring monitoring;

    public EvaluateJobFactory(JobRepository jobRepository, PlatformTransactionManager transactionManager, Ledger ledger,
            Reconciler reconciler, Clock clock, SubmitMonitoring monitoring) {
        this.monitoring = monitoring;
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.ledger = ledger;
        this.reconciler = reconciler;
        this.clock = clock;
    }

    /** The job for {@code definition}, sending through {@code client} and waiting up to {@code waitForResults}. */
    public Job build(JobDefinition definition, BluejayClient client, Duration waitForResults) {
        Step submit = submitStep(definition, client);
        Step reconcile = new StepBuilder("reconcile", jobRepository)
                .tasklet(new ReconcileTasklet(reconciler, ledger, client, definition.results(), waitForResults, clock), transactionManager)
                .allowStartIfComplete(true)
                .build();
        return new JobBuilder(definition.name(), jobRepository)
                .start(submit).on("FAILED").fail()
                .from(submit).on("*").to(reconcile)
                .end()
                .build();
    }

    private Step submitStep(JobDefinition definition, BluejayClient client) {
        ManifestItemReader reader = new ManifestItemReader(definition.manifestPath(), definition.requireSource().location(),
                new ColumnMapping(definition.requireSource().columns()), false);
        CallMapper mapper = new CallMapper(mappingDefaults(definition));
        SubmitStepMonitor monitor = monitoring.monitor(definition.name(), reader::readFraction);
        SubmissionWriter writer = new SubmissionWriter(ledger, client, definition.name(), definition.submit().maxInFlight(),
                definition.submit().inDoubt().lookup(definition.submit().requestTimeout()), monitor);
        return new StepBuilder("submit", jobRepository)
                .<CallRecord, MappedCall>chunk(definition.submit().chunkSize())
                .transactionManager(transactionManager)
                .reader(reader)
                .processor(mapper)
                .writer(writer)
                .listener(monitor)
                .listener(writer)
                .build();
    }

    /** The mapping defaults of a job's {@code defaults:} section. */
    public static MappingDefaults mappingDefaults(JobDefinition definition) {
        JobDefinition.Defaults d = definition.defaults();
        return new MappingDefaults(definition.name(), d.agentId(), d.externalAgentId(), d.tags(), d.customMetrics(),
                d.customMetricTags(), d.label(), d.callDirection(), d.callInterface(), d.multichannel(), d.metadata(),
                d.maxRecordingSize().toBytes(), definition.transcript().formatOrDetect(), definition.transcript().speakerMapping());
    }
}
