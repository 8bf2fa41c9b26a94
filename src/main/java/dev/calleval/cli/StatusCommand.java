package dev.calleval.cli;

import dev.calleval.bluejay.WebhookEvent;
import dev.calleval.report.StatusReport;
import dev.calleval.simulation.SimulationEventProcessor;
import dev.calleval.simulation.SimulationStore;
import dev.calleval.webhook.WebhookInbox;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code status [JOB]}: recent job executions (with the Bluejay endpoint each sent to), calls waiting for results or in
 * doubt per endpoint, the webhook inbox by event type,
 * and simulation runs with their results. Simulation webhooks waiting in the inbox are applied first, so runs show
 * what has arrived.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows recent job executions, their counts and the Bluejay endpoint each sent to, calls per endpoint "
                + "waiting for results or in doubt, webhook "
                + "events received by type (unknown types too), and simulation runs with each result's status."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:shown", "2:bad usage or configuration"})
class StatusCommand implements Callable<Integer> {
    private static final List<String> KNOWN = WebhookEvent.KNOWN_TYPES;

    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", arity = "0..1", description = "only this job's executions and calls")
    @Nullable String job;

    @Option(names = "--run", paramLabel = "RUN_ID", description = "show every result of this simulation run")
    @Nullable String runId;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "executions and simulation runs listed (default ${DEFAULT-VALUE})")
    int limit = 10;

    private final StatusReport report;
    private final SimulationEventProcessor simulationEvents;
    private final SimulationStore simulations;
    private final WebhookInbox inbox;

    StatusCommand(StatusReport report, SimulationEventProcessor simulationEvents, SimulationStore simulations, WebhookInbox inbox) {
        this.report = report;
        this.simulationEvents = simulationEvents;
        this.simulations = simulations;
        this.inbox = inbox;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec().commandLine().getOut();
        simulationEvents.processInbox();
        inbox.settleUnknownTypes(KNOWN);
        if (runId != null) {
            var run = simulations.run(runId);
            if (run.isEmpty()) {
                spec().commandLine().getErr().printf("calleval: simulation run %s is not known here (queued elsewhere, and no webhook for it yet)%n", runId);
                return ExitCodes.USAGE;
            }
            printRun(run.get(), true, out);
            out.flush();
            return ExitCodes.OK;
        }
        StatusReport.Snapshot s = report.snapshot(job, limit);
        out.println("Job executions (newest first):");
        if (s.executions().isEmpty()) {
            out.println("  none");
        }
        for (StatusReport.Execution e : s.executions()) {
            out.printf("  %6d  %-24s %-10s %-20s sent %d, already done %d, rejected %d%s%s%n", e.id(), e.job(), e.status(),
                    e.start() == null ? "-" : e.start().toString().replace('T', ' ').replaceAll("\\.\\d+", ""),
                    e.rowsClaimed(), e.alreadyDone(), e.rejected(), e.leftOut() > 0 ? ", left out by sampling " + e.leftOut() : "",
                    e.endpoint() == null ? "" : "  (endpoint " + e.endpoint() + ")");
        }
        out.println();
        String calls = "Calls" + (job == null ? "" : " of " + job);
        if (s.callsByEndpoint().isEmpty()) {
            printCalls(calls, s.calls(), out);
        }
        // one line per Bluejay endpoint: what the sandbox accepted is not done for the real API
        s.callsByEndpoint().forEach((endpoint, c) -> printCalls(calls + " to " + endpoint, c, out));
        if (!s.simulationUpdates().isEmpty()) {
            out.printf("Simulation result updates (enrich): %s%n", s.simulationUpdates().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().toLowerCase().replace('_', ' ')).collect(Collectors.joining(", ")));
        }
        out.println();
        out.println("Webhook events received:");
        if (s.webhooks().isEmpty()) {
            out.println("  none");
        }
        Map<String, List<WebhookInbox.TypeCount>> byType = s.webhooks().stream()
                .collect(Collectors.groupingBy(WebhookInbox.TypeCount::type, java.util.TreeMap::new, Collectors.toList()));
        byType.forEach((type, counts) -> out.printf("  %-30s %6d  (%s)%s%n", type, counts.stream().mapToLong(WebhookInbox.TypeCount::count).sum(),
                counts.stream().map(t -> t.outcome().toLowerCase() + " " + t.count()).collect(Collectors.joining(", ")),
                KNOWN.contains(type) ? "" : "  <- unknown type: stored, not acted on"));
        out.println();
        out.println("Simulation runs (newest first):");
        if (s.simulationRuns().isEmpty()) {
            out.println("  none");
        }
        s.simulationRuns().forEach(run -> printRun(run, false, out));
        if (!s.queueRequestsInDoubt().isEmpty()) {
            out.println();
            out.println("Simulation queue requests in doubt (a run may exist; not retried):");
            s.queueRequestsInDoubt().forEach(r -> out.printf("  simulation %s at %s: %s%n", r.get("simulation_id"), r.get("created_at"), r.get("error")));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void printCalls(String label, StatusReport.Calls c, PrintWriter out) {
        out.printf("%s: %s%n", label, c.line());
    }

    private static void printRun(SimulationStore.RunView run, boolean detail, PrintWriter out) {
        out.printf("  run %-10s simulation %-8s %-10s %d result(s): %s; %d passed, %d failed%s%n", run.runId(),
                run.simulationId() == null ? "-" : run.simulationId(), run.status(), run.results().size(),
                run.statusCounts().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                run.passed(), run.failed(), run.outbound() ? " (outbound)" : "");
        if (detail) {
            out.printf("    %-12s %-14s %-20s %-8s %-8s %s%n", "result", "digital human", "status", "outcome", "via", "custom metrics");
            for (SimulationStore.ResultRow r : run.results()) {
                out.printf("    %-12s %-14s %-20s %-8s %-8s %s%n", r.resultId(), r.digitalHumanId() == null ? "-" : r.digitalHumanId(),
                        r.status(), r.outcome() == null ? "-" : r.outcome(), r.resultSource() == null ? "-" : r.resultSource().toLowerCase(),
                        r.customMetrics() == null ? "" : r.customMetrics());
            }
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
