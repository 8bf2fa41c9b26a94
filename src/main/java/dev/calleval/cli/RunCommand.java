package dev.calleval.cli;

import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.launch.JobRunner;
import dev.calleval.plan.Plan;
import dev.calleval.plan.Planner;
import dev.calleval.source.ManifestHeader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code run JOB}: one job execution, then its report and a summary table. Dispatches on the job's kind: an
 * evaluate job ({@code source:}) submits and reconciles calls; an enrich job ({@code enrich:}) posts simulation logs
 * as {@code enrich JOB} does.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one job execution: reads the job's calls, submits the valid ones to Bluejay, "
                + "reconciles results and writes reports/<job>/<execution id>/.",
                "An enrich job (enrich: section) posts its simulation logs instead, as 'calleval enrich JOB' does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run completed (rejected rows are reported, not a failure, unless --fail-on-rejects)",
                "1:the run failed (e.g. API key refused, a CSV syntax error in the manifest, database unreachable past "
                        + "calleval.database.outage-tolerance), or calls could not be sent (e.g. Bluejay unreachable), or with "
                        + "--fail-on-rejects it completed with rejected rows; re-run to resume",
                "2:bad usage or configuration: the job file, a manifest that cannot be read (missing, empty, not UTF-8 text), "
                        + "no webhook signing secret for a run that waits on its own port against the real API, a *_FILE secret "
                        + "unreadable, empty or set twice",
                "4:not started: the same job over the same source is already running (another live execution)",
                "With --dry-run: 0 the plan was made (1 with --fail-on-rejects when rows would be rejected), 2 as above"})
class RunCommand implements Callable<Integer>, ReceivesWebhooks {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "a job name from jobs/ (e.g. sample) or a path to a job YAML")
    String job = "";

    @Option(names = "--sandbox", description = "run against an embedded Bluejay-compatible sandbox on loopback (no API key needed)")
    boolean sandbox;

    @Option(names = "--wait-for-results", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "keep the run open until every submitted call has a result or this time is up (e.g. 2m; default: 0, or 2m "
                    + "with --sandbox); while it waits, the webhook receiver listens on SERVER_PORT (default 8080). With 0 no port "
                    + "is opened: results come from 'serve' or 'reconcile' on the same database")
    @Nullable Duration waitForResults;

    @Option(names = "--fail-on-rejects", description = "exit 1 when the run completed but rejected rows (evaluate jobs; "
            + "they are in the report's rejects.csv); without it rejected rows are reported and the exit code is 0")
    boolean failOnRejects;

    @Option(names = "--dry-run", description = "make the plan and send nothing: read, map and validate every row, consult the "
            + "ledger, apply sampling, and print rows, valid, rejected, already done, to send, time at the rate limit and cost "
            + "(with defaults.cost-per-call); writes plan.json and plan.csv to the job's report folder. Nothing is recorded in the "
            + "ledger or the job repository; a run afterwards sends every call the plan lists as SEND")
    boolean dryRun;

    @picocli.CommandLine.Mixin
    JobParameterOptions parameters = new JobParameterOptions();

    private final JobDefinitions jobs;
    private final java.time.Clock clock;
    private final ApiConnection connection;
    private final JobExecution execution;
    private final JobRunner runner;
    private final Planner planner;

    RunCommand(JobDefinitions jobs, ApiConnection connection, JobExecution execution, JobRunner runner, Planner planner, java.time.Clock clock) {
        this.planner = planner;
        this.jobs = jobs;
        this.runner = runner;
        this.clock = clock;
        this.connection = connection;
        this.execution = execution;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        JobDefinition definition = jobs.load(job);
        if (definition instanceof JobDefinition.Evaluate) {
            definition = definition.withParameters(parameters.values(), clock);
        }
        PrintWriter err = spec().commandLine().getErr();
        // a manifest that cannot be read is refused here (ManifestException: one line, exit 2), before any job execution exists
        if (dryRun) {
            return plan(definition, out, err);
        }
        runner.checkSource(definition).flatMap(ManifestHeader::warning).ifPresent(w -> err.println("calleval: warning: " + w));
        err.flush();
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out, err)) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            return execution.execute(definition, open, waitForResults, false, failOnRejects, out, err);
        }
    }

    /**
     * {@code --dry-run}: the plan of an evaluate job, printed and written beside its reports; nothing is sent or recorded
     * (no job execution, no sandbox, no API key needed).
     */
    private int plan(JobDefinition definition, PrintWriter out, PrintWriter err) throws Exception {
        if (!(definition instanceof JobDefinition.Evaluate evaluate)) {
            err.println("calleval: --dry-run plans evaluate jobs (a source: section); " + definition.name() + " is a "
                    + definition.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " job");
            return ExitCodes.USAGE;
        }
        if (waitForResults != null) {
            err.println("calleval: --wait-for-results does not apply to --dry-run (nothing is sent)");
            return ExitCodes.USAGE;
        }
        runner.checkSource(evaluate); // a manifest that cannot be read: one line, exit 2, as for a run
        Plan plan = planner.plan(evaluate, connection.endpoint(sandbox), w -> {
            err.println("calleval: warning: " + w);
            err.flush();
        });
        PlanTable.print(plan, out);
        out.flush();
        if (failOnRejects && plan.rejected() > 0) {
            err.printf("calleval: %s: %d row(s) would be rejected (listed in %s): exit 1 (--fail-on-rejects)%n", definition.name(),
                    plan.rejected(), plan.calls());
            err.flush();
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /**
     * The receiver is up only while the run waits for results: {@code --wait-for-results} over 0, or {@code --sandbox}
     * (its webhooks come back here; waits 2m by default). A run that does not wait opens no port, so it can run beside
     * {@code serve} on the same host. A dry run opens none.
     */
    @Override
    public boolean receivesWebhooks() {
        return !dryRun && (sandbox || (waitForResults != null && !waitForResults.isZero()));
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
