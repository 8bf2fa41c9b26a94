package dev.calleval.cli;

import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.jobfile.LogSourceType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code enrich (JOB | --dir DIR | --manifest CSV) [--resend-in-doubt] [--sandbox]}: posts per-call simulation logs
 * to {@code POST /v1/update-simulation-result}, each simulation result exactly once, and writes
 * {@code reports/<job>/<execution id>/}.
 */
@Command(name = "enrich", mixinStandardHelpOptions = true,
        description = {"Posts what the agent under test logged during simulated calls (one <simulation_result_id>.json per "
                + "result: tool calls, events, recorded transcript, tags, metadata, trace ids) to Bluejay's "
                + "update-simulation-result, each result exactly once, and writes reports/<job>/<execution id>/.",
                "Give an enrich job (a job file with an enrich: section), or a directory of logs, or a CSV manifest "
                        + "(simulation_result_id,log)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every log is posted, now or by an earlier run",
                "1:some logs were rejected, failed (re-run to post them) or are in doubt, or the run failed",
                "2:bad usage or configuration",
                "4:not started: the same job over the same source is already running (another live execution)"})
class EnrichCommand implements Callable<Integer>, ReceivesWebhooks {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", arity = "0..1", description = "an enrich job name from jobs/ (e.g. enrich-sample) or a path to a job YAML")
    @Nullable String job;

    @Option(names = "--dir", paramLabel = "DIR", description = "a directory of <simulation_result_id>.json logs (instead of JOB)")
    @Nullable Path dir;

    @Option(names = "--manifest", paramLabel = "CSV", description = "a CSV manifest with columns simulation_result_id,log; log paths relative to it (instead of JOB)")
    @Nullable Path manifest;

    @Option(names = "--resend-in-doubt", description = "post again the results earlier runs left IN_DOUBT (the update may have been "
            + "applied): only after checking in Bluejay that they lack it")
    boolean resendInDoubt;

    @Option(names = "--sandbox", description = "post to an embedded Bluejay-compatible sandbox on loopback (no API key needed)")
    boolean sandbox;

    /** Only the embedded sandbox sends its webhooks back to this process: without it, no port is opened. */
    @Override
    public boolean receivesWebhooks() {
        return sandbox;
    }

    @Option(names = "--report-dir", paramLabel = "DIR", description = "where reports go with --dir or --manifest (default: reports)")
    @Nullable String reportDirectory;

    private final JobDefinitions jobs;
    private final ApiConnection connection;
    private final JobExecution execution;

    EnrichCommand(JobDefinitions jobs, ApiConnection connection, JobExecution execution) {
        this.jobs = jobs;
        this.connection = connection;
        this.execution = execution;
    }

    @Override
    public Integer call() throws Exception {
        CommandSpec spec = spec();
        int given = (job != null ? 1 : 0) + (dir != null ? 1 : 0) + (manifest != null ? 1 : 0);
        if (given != 1) {
            spec.commandLine().getErr().println("calleval: give exactly one of JOB, --dir DIR or --manifest CSV");
            spec.commandLine().usage(spec.commandLine().getErr());
            return ExitCodes.USAGE;
        }
        JobDefinition.Enrich definition;
        if (job != null) {
            if (reportDirectory != null) {
                spec.commandLine().getErr().println("calleval: --report-dir goes with --dir or --manifest; a job file sets report.directory");
                return ExitCodes.USAGE;
            }
            JobDefinition loaded = jobs.load(job);
            if (!(loaded instanceof JobDefinition.Enrich enrich)) {
                spec.commandLine().getErr().println("calleval: " + loaded.name() + " is an " + loaded.kind()
                        + " job, not an enrich job (its file has no enrich: section); run it with: calleval run " + job);
                return ExitCodes.USAGE;
            }
            definition = enrich;
        } else {
            Path location = dir != null ? dir : manifest;
            boolean exists = dir != null ? java.nio.file.Files.isDirectory(location) : java.nio.file.Files.isRegularFile(location);
            if (!exists) {
                spec.commandLine().getErr().println("calleval: " + (dir != null ? "--dir " : "--manifest ") + location
                        + (dir != null ? ": not a directory" : ": no such file"));
                return ExitCodes.USAGE;
            }
            definition = JobDefinitions.enrichJob(location, dir != null ? LogSourceType.DIRECTORY : LogSourceType.MANIFEST,
                    reportDirectory == null ? "reports" : reportDirectory);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out,
                spec.commandLine().getErr())) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            return execution.execute(definition, open, null, resendInDoubt, false, out, spec().commandLine().getErr());
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
