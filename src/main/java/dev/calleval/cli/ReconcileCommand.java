package dev.calleval.cli;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.jobfile.ResultsSettings;
import dev.calleval.ledger.CallScope;
import dev.calleval.reconciliation.Reconciler;
import dev.calleval.report.StatusReport;
import dev.calleval.simulation.SimulationEventProcessor;
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
 * {@code reconcile [JOB]}: one reconciliation round outside a job execution, for cron when no inbound endpoint can
 * be exposed or between runs: the webhook inbox (events stored by {@code run} or {@code serve}), polling of calls
 * whose webhook is late, OVERDUE marks. The same round {@code serve} runs every few seconds
 * ({@link Reconciler#round}).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Applies the results waiting in the webhook inbox to the ledger, polls GET /v1/retrieve-call-log for calls "
                + "still without a result --poll-after their submission, and marks those past --window OVERDUE (a later result "
                + "still counts). Simulation webhooks in the inbox are applied too.",
                "Polls only the calls sent to the Bluejay endpoint it talks to (BLUEJAY_BASE_URL), and prints their counts.",
                "For cron when Bluejay's webhooks cannot reach calleval: 'run JOB' without waiting, then 'reconcile' every few minutes."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (calls may still be waiting: see the counts)",
                "1:some calls could not be polled (see the log); the next reconcile polls them again",
                "2:bad usage or configuration (unknown job, BLUEJAY_API_KEY missing without --inbox-only)"})
class ReconcileCommand implements Callable<Integer> {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", arity = "0..1",
            description = "only this job's calls; its results: section gives the defaults of --poll-after and --window, its submit: section the rate limit")
    @Nullable String job;

    @Option(names = "--poll-after", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "poll calls without a result this long after submission (default: the job's results.poll-after, else 5m)")
    @Nullable Duration pollAfter;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "mark calls without a result this long after submission OVERDUE (default: the job's results.window, else 6h)")
    @Nullable Duration window;

    @Option(names = "--inbox-only", description = "only the webhook inbox and OVERDUE marks: no polling, no API key needed")
    boolean inboxOnly;

    /** Polling rate without a job file, requests per second. */
    static final double DEFAULT_RATE_LIMIT = 10;

    private final JobDefinitions jobs;
    private final ApiConnection connection;
    private final Reconciler reconciler;
    private final SimulationEventProcessor simulationEvents;
    private final StatusReport status;

    ReconcileCommand(JobDefinitions jobs, ApiConnection connection, Reconciler reconciler, SimulationEventProcessor simulationEvents,
            StatusReport status) {
        this.jobs = jobs;
        this.connection = connection;
        this.reconciler = reconciler;
        this.simulationEvents = simulationEvents;
        this.status = status;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        JobDefinition definition = job == null ? null : jobs.load(job);
        ResultsSettings results = definition instanceof JobDefinition.Evaluate e ? e.results()
                : definition instanceof JobDefinition.DropFolder d ? d.results()
                : new ResultsSettings(Duration.ofHours(6), Duration.ofMinutes(5), Duration.ofSeconds(10)); // no results: section
        Duration after = pollAfter != null ? pollAfter : results.pollAfter();
        Duration overdueAfter = window != null ? window : results.window();
        CallScope scope = CallScope.job(definition == null ? null : definition.name());
        var simulations = simulationEvents.processInbox();
        Reconciler.Round round;
        String polledEndpoint = null;
        if (inboxOnly) {
            round = reconciler.round(null, scope, after, overdueAfter);
        } else {
            try (ApiConnection.Open open = connection.open(null, out, spec().commandLine().getErr())) {
                if (open == null) {
                    return ExitCodes.USAGE;
                }
                BluejayClient client = open.client(definition == null ? DEFAULT_RATE_LIMIT : definition.submit().rateLimit());
                polledEndpoint = client.endpoint().key();
                round = reconciler.round(client, scope, after, overdueAfter);
            }
        }
        out.printf("reconcile (%s): %d result(s) from the webhook inbox; %s; %d call(s) now OVERDUE; %d simulation event(s) applied%n", scope,
                round.inbox().matched(), inboxOnly ? "no polling (--inbox-only)" : "%d call(s) polled after %s, %d result(s) found, %d poll(s) failed"
                        .formatted(round.polled(), DurationConverter.format(after), round.foundByPolling(), round.pollsFailed()),
                round.overdue(), simulations.applied());
        StatusReport.Snapshot snapshot = status.snapshot(definition == null ? null : definition.name(), 1);
        String label = "calls" + (definition == null ? "" : " of " + definition.name());
        if (polledEndpoint != null) { // the calls of the endpoint polled: those of another endpoint are not polled here
            printCalls(label + " to " + polledEndpoint, snapshot.callsByEndpoint().getOrDefault(polledEndpoint, StatusReport.Calls.NONE),
                    out);
        } else if (snapshot.callsByEndpoint().isEmpty()) {
            printCalls(label, snapshot.calls(), out);
        } else {
            snapshot.callsByEndpoint().forEach((endpoint, c) -> printCalls(label + " to " + endpoint, c, out));
        }
        out.flush();
        return round.pollsFailed() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static void printCalls(String label, StatusReport.Calls c, PrintWriter out) {
        out.printf("%s: %s%n", label, c.line());
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
