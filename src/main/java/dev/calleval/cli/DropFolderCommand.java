package dev.calleval.cli;

import dev.calleval.dropfolder.DropFolderClaims;
import dev.calleval.dropfolder.DropFolderPoller;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code drop-folder poll-once JOB}: the S3 drop folder of a job with a {@code drop-folder:} section. */
@Command(name = "drop-folder", mixinStandardHelpOptions = true,
        description = "Processes manifests dropped into a job's S3 inbox (drop-folder: section).",
        subcommands = DropFolderCommand.PollOnce.class)
class DropFolderCommand implements Callable<Integer> {
    @Spec
    @Nullable CommandSpec spec;

    @Override
    public Integer call() {
        if (spec != null) {
            spec.commandLine().usage(spec.commandLine().getErr());
        }
        return ExitCodes.USAGE;
    }

    /** One poll of the inbox: resume abandoned claims, then claim, run and file every new manifest. */
    @Command(name = "poll-once", mixinStandardHelpOptions = true,
            description = {"Polls the job's drop-folder inbox once: claims each new manifest (exactly once, even with several pollers), "
                    + "moves it to processing/, runs it as a job execution, then moves it to done/ or failed/ with "
                    + "<name>.report/ (summary.json, calls.csv, rejects.csv) or <name>.error.txt beside it.",
                    "Claims left unfinished by a dead poller are resumed first; the ledger keeps their calls from being sent twice."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every manifest processed is in done/ (or the inbox had nothing new)",
                    "1:a manifest ended in failed/ or its run stopped (resumed by a later poll), or S3 failed",
                    "2:bad usage or configuration (e.g. not a drop-folder job)"})
    static class PollOnce implements Callable<Integer>, ReceivesWebhooks {
        @Spec
        @Nullable CommandSpec spec;

        @Parameters(paramLabel = "JOB", description = "a drop-folder job name from jobs/ or a path to a job YAML")
        String job = "";

        @Option(names = "--sandbox", description = "run against an embedded Bluejay-compatible sandbox on loopback (no API key needed)")
        boolean sandbox;

        @Option(names = "--wait-for-results", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "per manifest: keep its run open until every call has a result or this time is up (default: 0, or 2m with --sandbox)")
        @Nullable Duration waitForResults;

        /** As {@code run}: the receiver only while a run waits for results (the sandbox's webhooks come back here). */
        @Override
        public boolean receivesWebhooks() {
            return sandbox || (waitForResults != null && !waitForResults.isZero());
        }

        private final JobDefinitions jobs;
        private final ApiConnection connection;
        private final JobExecution execution;
        private final DropFolderPoller poller;

        PollOnce(JobDefinitions jobs, ApiConnection connection, JobExecution execution, DropFolderPoller poller) {
            this.jobs = jobs;
            this.connection = connection;
            this.execution = execution;
            this.poller = poller;
        }

        @Override
        public Integer call() throws Exception {
            if (spec == null) {
                throw new IllegalStateException("picocli did not inject the command spec");
            }
            PrintWriter out = spec.commandLine().getOut();
            JobDefinition loaded = jobs.load(job);
            if (!(loaded instanceof JobDefinition.DropFolder definition)) {
                spec.commandLine().getErr().println("calleval: " + loaded.name() + " is an " + loaded.kind()
                        + " job: drop-folder poll-once needs a job file with a drop-folder: section");
                return ExitCodes.USAGE;
            }
            try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out, spec.commandLine().getErr())) {
                if (open == null) {
                    return ExitCodes.USAGE;
                }
                out.printf("drop folder %s: polling %s%n", definition.name(), definition.dropFolder().inbox());
                out.flush();
                List<DropFolderPoller.Outcome> outcomes = poller.pollOnce(definition, evaluate -> {
                    out.printf("%nmanifest %s:%n", evaluate.source().location());
                    return execution.execute(evaluate, open, waitForResults, false, out) == ExitCodes.OK;
                });
                boolean ok = true;
                for (DropFolderPoller.Outcome o : outcomes) {
                    out.printf("%s: %s%s%s%n", o.inboxKey(), o.state(), o.location() == null ? "" : " -> " + o.location(),
                            o.reason() == null ? "" : " (" + o.reason() + ")");
                    ok &= o.state() == DropFolderClaims.State.DONE;
                }
                out.printf("drop folder %s: %d manifest(s) processed%n", definition.name(), outcomes.size());
                out.flush();
                return ok ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
