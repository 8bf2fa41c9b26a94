package dev.calleval.cli;

import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.BluejayJson;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.launch.JobRunner;
import dev.calleval.ledger.CallResult;
import dev.calleval.ledger.RoundCall;
import dev.calleval.ledger.Reevaluations.Evaluated;
import dev.calleval.reevaluate.Condition;
import dev.calleval.reevaluate.ReevaluateJobFactory;
import dev.calleval.reevaluate.Selection;
import dev.calleval.report.ExecutionHistory;
import dev.calleval.report.JobOutcome;
import dev.calleval.report.RoundReport;
import dev.calleval.report.RoundSummary;
import dev.calleval.sandbox.SandboxServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reevaluate JOB}: one re-evaluation round over the job's evaluated calls ({@code reevaluate/}), then the round's
 * report and one line per call with its old and new result. {@code --dry-run} lists the calls it would send.
 */
@Command(name = "reevaluate", mixinStandardHelpOptions = true,
        description = {"Re-evaluates evaluated calls of an evaluate job: sends POST /v1/re-evaluate/{call_id} once per call in this round, "
                + "waits for the new evaluations (webhook or polling) and writes reports/reevaluate-<job>/<execution id>/ "
                + "(reevaluation.csv with old and new results, summary.json).",
                "Running the same command again after a failed or killed round restarts that round: nothing it sent is sent again. "
                + "After a completed round, the same command is a new round."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the round completed (calls may still wait for their new evaluation: see the report)",
                "1:the round failed (API key refused, Bluejay kept failing) or some calls were refused, not sent or are in doubt; "
                        + "run the same command again to resume the round",
                "2:bad usage or configuration: unknown job, not an evaluate job, unknown --where field, BLUEJAY_API_KEY missing",
                "3:--execution names no execution of this job",
                "4:not started: the same round is running in another live process"})
class ReevaluateCommand implements Callable<Integer>, ReceivesWebhooks {
    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "the evaluate job whose calls to re-evaluate: a name from jobs/ or a path to a job YAML")
    String job = "";

    @Option(names = "--execution", paramLabel = "N", description = "only the calls evaluate execution N read")
    @Nullable Long execution;

    @Option(names = "--since", paramLabel = "DATE", converter = DateConverter.class,
            description = "only calls first accepted by Bluejay at or after DATE (yyyy-MM-dd, UTC, or an ISO-8601 time)")
    @Nullable Instant since;

    @Option(names = "--until", paramLabel = "DATE", converter = DateConverter.class, description = "with --since: only calls accepted before DATE")
    @Nullable Instant until;

    @Option(names = "--call-ids", paramLabel = "ID", split = ",",
            description = "only these calls: the manifest's call_id or Bluejay's call id, comma-separated")
    List<String> callIds = new ArrayList<>();

    @Option(names = "--where", paramLabel = "FIELD=VALUE", converter = ConditionConverter.class,
            description = "only calls whose latest evaluation has FIELD=VALUE (or FIELD!=VALUE); fields: goal_success, hallucination "
                    + "(true, false, null), num_turns, status; repeat for several (all must hold)")
    List<Condition> where = new ArrayList<>();

    @Option(names = "--dry-run", description = "list the calls that would be sent, with their latest result; send and record nothing")
    boolean dryRun;

    @Option(names = "--sandbox", description = "against an embedded sandbox on loopback, which is first told the chosen calls "
            + "(a sandbox lives only as long as its process)")
    boolean sandbox;

    @Option(names = "--wait-for-results", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "wait this long for the new evaluations (default: 0, one pass; 2m with --sandbox); the webhook receiver "
                    + "listens on SERVER_PORT while it waits")
    @Nullable Duration waitForResults;

    private final JobDefinitions jobs;
    private final ApiConnection connection;
    private final JobRunner runner;
    private final ReevaluateJobFactory rounds;
    private final ExecutionHistory history;

    ReevaluateCommand(JobDefinitions jobs, ApiConnection connection, JobRunner runner, ReevaluateJobFactory rounds, ExecutionHistory history) {
        this.jobs = jobs;
        this.connection = connection;
        this.runner = runner;
        this.rounds = rounds;
        this.history = history;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        if (!(jobs.load(job) instanceof JobDefinition.Evaluate definition)) {
            err.println("calleval: " + job + " is not an evaluate job (no source: section): only evaluated calls can be re-evaluated");
            return ExitCodes.USAGE;
        }
        if (until != null && since == null) {
            err.println("calleval: --until needs --since");
            return ExitCodes.USAGE;
        }
        Selection selection;
        try {
            selection = new Selection(execution, since, until, callIds, where);
        } catch (IllegalArgumentException e) {
            err.println("calleval: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (execution != null && history.find(execution).filter(e -> e.getJobInstance().getJobName().equals(definition.name())).isEmpty()) {
            err.printf("calleval: no execution %d of job %s in this database (see 'calleval status %s')%n", execution, definition.name(),
                    definition.name());
            return ExitCodes.NOT_FOUND;
        }
        if (dryRun) {
            BluejayEndpoint endpoint = connection.endpoint(sandbox);
            List<Evaluated> chosen = rounds.chosen(definition, endpoint, selection);
            out.printf("reevaluate %s (dry run, %s): %d call(s) would be sent to %s; nothing sent or recorded%n", definition.name(),
                    selection.key(), chosen.size(), endpoint.key());
            chosen.forEach(c -> out.printf("  %s  %s  %s%n", c.sourceId(), c.callId(), RoundReport.shown(c.latest())));
            out.flush();
            return ExitCodes.OK;
        }
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out, err)) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            BluejayClient client = open.client(definition.submit().rateLimit());
            List<Evaluated> chosen = rounds.chosen(definition, client.endpoint(), selection);
            if (open.sandbox() != null) {
                chosen.forEach(c -> tell(open.sandbox(), c));
            }
            Duration wait = waitForResults != null ? waitForResults : sandbox ? Duration.ofMinutes(2) : Duration.ZERO;
            JobOutcome<RoundSummary> outcome = runner.run(launcher -> rounds.build(definition, selection, client, wait, launcher),
                    ReevaluateJobFactory.PREFIX + definition.name(), selection.key(), client.endpoint());
            return print(outcome, rounds.round(outcome.summary().round(), client.endpoint()), out);
        }
    }

    /** Calls listed one per line on the console; the rest are in reevaluation.csv. */
    static final int LISTED = 50;

    private int print(JobOutcome<RoundSummary> outcome, List<RoundCall> calls, PrintWriter out) {
        RoundSummary s = outcome.summary();
        RoundSummary.ThisExecution e = s.execution();
        RoundSummary.RoundTotals t = s.calls();
        out.printf("%nreevaluate %s — round %s, execution %d — %s%n", s.job(), s.round(), s.executionId(), s.status());
        out.printf("  selection                  %s%n", s.selection());
        out.printf("  Bluejay endpoint           %s%n", s.endpoint());
        out.printf("  calls chosen           %8d%n", e.chosen());
        out.printf("  sent by this execution %8d  (already in this round: %d, waiting in another round: %d, found sent: %d, refused: %d, not sent: %d, in doubt: %d)%n",
                e.sent(), e.alreadyInRound(), e.waitingInAnotherRound(), e.foundSent(), e.rejected(), e.failed(), e.inDoubt());
        out.printf("  round: %d call(s), %d re-evaluated, %d incomplete, %d waiting, %d refused, %d not sent, %d in doubt; %d changed%n",
                t.calls(), t.evaluated(), t.incomplete(), t.waiting(), t.rejected(), t.failed(), t.inDoubt(), s.changed());
        calls.stream().limit(LISTED).forEach(c -> out.printf("    %s  %-10s old: %s  new: %s%s%n", c.sourceId(), c.state(),
                RoundReport.shown(c.old()), RoundReport.shown(c.current()), RoundReport.changed(c) ? "  (changed)" : ""));
        if (calls.size() > LISTED) {
            out.printf("    ... %d more in reevaluation.csv%n", calls.size() - LISTED);
        }
        out.printf("  report: %s/ (reevaluation.csv, summary.json)%n", s.reportDirectory());
        out.flush();
        boolean troubled = e.rejected() + e.failed() + e.inDoubt() > 0;
        return outcome.completed() && !troubled ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Tells the embedded sandbox a call it never saw (it was accepted by another process's sandbox). */
    private static void tell(SandboxServer sandbox, Evaluated call) {
        CallResult r = call.latest();
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("id", r.evaluationId());
        evaluation.put("created_at", call.submittedAt() == null ? Instant.EPOCH.toString() : call.submittedAt().toString());
        evaluation.put("goal_success", r.goalSuccess());
        evaluation.put("hallucination", r.hallucination());
        evaluation.put("num_turns", r.numTurns());
        evaluation.put("agent_speak_percentage", r.agentSpeakPercentage());
        evaluation.put("avg_agent_latency", null);
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50_agent_latency", r.latencyP50());
        latency.put("p90_agent_latency", r.latencyP90());
        evaluation.put("latency", latency);
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("id", call.callId());
        log.put("agent_id", call.agentKey().startsWith("ext:") ? "0" : call.agentKey());
        log.put("status", r.bluejayStatus());
        log.put("metadata", Map.of("calleval_source_id", call.sourceId()));
        log.put("evaluations", List.of(evaluation));
        sandbox.importCallLog(BluejayJson.mapper().writeValueAsString(log));
    }

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
