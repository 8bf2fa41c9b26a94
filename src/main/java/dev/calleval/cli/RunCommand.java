package dev.calleval.cli;

import dev.calleval.job.JobDefinition;
import dev.calleval.job.JobDefinitions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
        exitCodeList = {"0:the run completed (rejected rows are reported, not a failure)",
                "1:the run failed (e.g. API key refused, database unreachable past calleval.database.outage-tolerance), or calls "
                        + "could not be sent (e.g. Bluejay unreachable); re-run to resume",
                "2:bad usage or configuration",
                "4:not started: the same job over the same source is already running (another live execution)"})
class RunCommand implements Callable<Integer> {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "a job name from jobs/ (e.g. sample) or a path to a job YAML")
    String job = "";

    @Option(names = "--sandbox", description = "run against an embedded Bluejay-compatible sandbox on loopback (no API key needed)")
    boolean sandbox;

    @Option(names = "--wait-for-results", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "keep the run open until every submitted call has a result or this time is up (e.g. 2m; default: 0, or 2m with --sandbox)")
    @Nullable Duration waitForResults;

    @picocli.CommandLine.Mixin
    JobParameterOptions parameters = new JobParameterOptions();

    private final JobDefinitions jobs;
    private final java.time.Clock clock;
    private final ApiConnection connection;
    private final JobExecution execution;

    RunCommand(JobDefinitions jobs, ApiConnection connection, JobExecution execution, java.time.Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
        this.connection = connection;
        this.execution = execution;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        JobDefinition definition = jobs.load(job);
        if (definition.kind() == JobDefinition.Kind.EVALUATE) {
            definition = definition.withParameters(parameters.values(), clock);
        }
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out,
                spec().commandLine().getErr())) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            return execution.execute(definition, open, waitForResults, false, out, spec().commandLine().getErr());
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
