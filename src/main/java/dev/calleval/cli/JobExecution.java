package dev.calleval.cli;

import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.SmsSimulationRunRequest;
import dev.calleval.enrich.EnrichSummary;
import dev.calleval.jobfile.BluejayClientFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.SimulateSmsSettings;
import dev.calleval.launch.JobRunner;
import dev.calleval.report.JobOutcome;
import dev.calleval.report.ReportUpload;
import dev.calleval.report.RunSummary;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.simulation.SimulationStore;
import dev.calleval.simulation.SmsSimulations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Runs a job file of any kind on an open connection and prints what happened: evaluate (submit, reconcile, report),
 * enrich (post simulation logs once), or simulate-sms (queue runs, wait, pass/fail per result). Shared by
 * {@code run}, {@code enrich} and {@code simulate-sms}; returns the process exit code.
 */
@Component
class JobExecution {
    /** With {@code --sandbox}, simulated conversations end by themselves after this long. */
    static final Duration SANDBOX_CONVERSATION = Duration.ofSeconds(2);

    private final JobRunner runner;
    private final BluejayClientFactory clients;
    private final SmsSimulations simulations;

    JobExecution(JobRunner runner, BluejayClientFactory clients, SmsSimulations simulations) {
        this.runner = runner;
        this.clients = clients;
        this.simulations = simulations;
    }

    /**
     * The sandbox {@code --sandbox} starts: the defaults, with conversations that end by themselves, and each
     * {@code recording_url} fetched as Bluejay would (a call whose recording cannot be fetched is refused with 422).
     */
    static SandboxConfig sandboxConfig() {
        return SandboxConfig.defaults().withConversationDuration(SANDBOX_CONVERSATION).withFetchRecordings(true);
    }

    /** {@link #execute(JobDefinition, ApiConnection.Open, Duration, boolean, boolean, PrintWriter, PrintWriter)}, rejected rows not failing. */
    int execute(JobDefinition definition, ApiConnection.Open open, @Nullable Duration waitForResults, boolean resendInDoubt,
            PrintWriter out) throws Exception {
        return execute(definition, open, waitForResults, resendInDoubt, false, out, new PrintWriter(System.err, true));
    }

    /**
     * @param waitForResults evaluate: how long to keep the run open for results (null: 0, or 2m on the sandbox)
     * @param resendInDoubt enrich: post again the results earlier runs left in doubt
     * @param failOnRejects evaluate: a completed run with rejected rows exits 1, told in one line on {@code err}
     * @param err where the one line that says why a run exits 1 goes ({@code calleval: JOB execution N ended FAILED: reason; ...})
     */
    int execute(JobDefinition definition, ApiConnection.Open open, @Nullable Duration waitForResults, boolean resendInDoubt,
            boolean failOnRejects, PrintWriter out, PrintWriter err) throws Exception {
        BluejayClient client = clients.create(definition, open.baseUrl(), open.apiKey(), open.endpoint());
        Duration defaultWait = open.sandbox() != null ? Duration.ofMinutes(2) : Duration.ZERO;
        int code;
        if (definition instanceof JobDefinition.Evaluate evaluate) {
            code = runEvaluate(evaluate, client, waitForResults != null ? waitForResults : defaultWait, failOnRejects, out, err);
        } else if (definition instanceof JobDefinition.Enrich enrich) {
            if (open.sandbox() != null) {
                seedSandboxResults(client, out);
            }
            code = runEnrich(enrich, client, resendInDoubt, out, err);
        } else if (definition instanceof JobDefinition.SimulateSms sms) {
            SimulateSmsSettings settings = sms.simulateSms();
            Duration wait = waitForResults != null ? waitForResults : settings.waitFor();
            code = simulateSms(client, settings.runs().stream().map(SimulateSmsSettings.Run::request).toList(), definition.name(),
                    wait, settings.pollInterval(), out);
        } else { // a drop-folder job
            out.println(definition.name() + " is a drop-folder job: run 'calleval drop-folder poll-once " + definition.name()
                    + "' (or 'calleval serve') to process its inbox");
            code = ExitCodes.USAGE;
        }
        if (open.sandbox() != null) {
            var stats = open.sandbox().stats();
            out.printf("sandbox: %d request(s) received, %d evaluate accepted, %d update-simulation-result post(s), %d webhook(s) sent%n",
                    stats.endpoints().values().stream().mapToLong(e -> e.requests()).sum(), stats.evaluateAccepted(),
                    stats.updateSimulationResultPosts().values().stream().mapToInt(Integer::intValue).sum(), stats.webhooksSent());
        }
        out.flush();
        return code;
    }

    /** Runs an evaluate job to its end and prints its summary; the exit code. */
    private int runEvaluate(JobDefinition.Evaluate definition, BluejayClient client, Duration wait, boolean failOnRejects, PrintWriter out,
            PrintWriter err) throws Exception {
        JobOutcome<RunSummary> outcome = runner.run(definition, client, wait);
        SummaryTable.print(outcome.summary(), out);
        boolean uploaded = printUpload(outcome.upload(), out);
        String failed = failureLine(outcome);
        long rejected = outcome.summary().counts().rejected();
        if (failed == null && uploaded && failOnRejects && rejected > 0) {
            failed = String.format("%s: %d row(s) rejected (listed in %s/rejects.csv): exit 1 (--fail-on-rejects)",
                    definition.name(), rejected, outcome.summary().reportDirectory());
        }
        if (failed != null) {
            out.flush();
            err.println("calleval: " + failed);
            err.flush();
        }
        return failed == null && uploaded ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Runs an enrich job to its end and prints its summary; the exit code. */
    private int runEnrich(JobDefinition.Enrich enrich, BluejayClient client, boolean resendInDoubt, PrintWriter out, PrintWriter err)
            throws Exception {
        JobOutcome<EnrichSummary> outcome = runner.runEnrich(enrich, client, resendInDoubt || enrich.enrich().resendInDoubt());
        EnrichSummaryTable.print(outcome.summary(), out);
        boolean uploaded = printUpload(outcome.upload(), out);
        var s = outcome.summary();
        String failed = !outcome.completed()
                ? s.job() + " execution " + s.executionId() + " ended " + s.status()
                        + (s.exitDescription() == null ? "" : ": " + s.exitDescription().lines().findFirst().orElse("").strip())
                        + "; run the job again to resume (what was posted is not posted again)"
                : !s.allPosted() ? s.job() + " execution " + s.executionId() + ": not every log was posted (see "
                        + s.reportDirectory() + "/updates.csv); run the job again to post the failed ones" : null;
        if (failed != null) {
            out.flush();
            err.println("calleval: " + failed);
            err.flush();
        }
        return failed == null && uploaded ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * Why an evaluate run exits 1, in one line, or null when it does not: it failed (its reason), or calls were left
     * FAILED (Bluejay unreachable, say), which the next run sends.
     */
    static @Nullable String failureLine(JobOutcome<RunSummary> outcome) {
        var s = outcome.summary();
        if (!outcome.completed()) {
            String reason = s.exitDescription() == null ? "" : ": " + s.exitDescription().lines().findFirst().orElse("").strip();
            return s.job() + " execution " + s.executionId() + " ended " + s.status() + reason
                    + (reason.contains("run the job again") ? "" : "; run the job again to resume (what was accepted is not sent again)");
        }
        if (s.counts().failed() > 0) {
            return s.job() + " execution " + s.executionId() + ": " + s.counts().failed() + " call(s) could not be sent (last_error in "
                    + s.reportDirectory() + "/calls.csv); run the job again to send them";
        }
        return null;
    }

    /**
     * Prints where the report was uploaded ({@code report.directory: s3://...}); false when the upload failed (the
     * run then exits 1, its report still on local disk).
     */
    private static boolean printUpload(ReportUpload.@Nullable Result upload, PrintWriter out) {
        if (upload == null) {
            return true;
        }
        if (upload.succeeded()) {
            out.printf("  uploaded: %s (%d file(s))%n", upload.target(), upload.uploaded().size());
            return true;
        }
        out.printf("  report upload FAILED: %s%n  (%d of the files uploaded to %s; the local copy is complete)%n", upload.error(),
                upload.uploaded().size(), upload.target());
        return false;
    }

    /**
     * The sandbox starts empty; the sample simulation logs are for results 716977–716979, the first ids it hands
     * out. Queue its two sample simulations and end their conversations so those results exist and are finished.
     */
    private static void seedSandboxResults(BluejayClient client, PrintWriter out) {
        try {
            List<String> ids = new ArrayList<>();
            for (String simulation : List.of("30425", "30426")) {
                ids.addAll(client.queueSmsSimulationRun(new SmsSimulationRunRequest(simulation, null, null, null, null, null)).simulationResultIds());
            }
            client.endConversations(new dev.calleval.bluejay.EndConversationsRequest(ids.stream().map(Long::valueOf).toList()));
            out.printf("sandbox: queued its sample simulations 30425 and 30426 so that results %s exist to enrich%n", String.join(", ", ids));
        } catch (BluejayApiException e) {
            out.println("sandbox: could not create the sample results: " + e.getMessage());
        }
    }

    /** Queues the runs, waits up to {@code wait} for their results, prints pass/fail per result. */
    int simulateSms(BluejayClient client, List<SmsSimulationRunRequest> requests, String queuedBy, Duration wait, Duration poll, PrintWriter out) {
        List<SmsSimulations.Queued> queued = simulations.queue(client, requests, queuedBy);
        boolean allQueued = true;
        List<String> runIds = new ArrayList<>();
        for (SmsSimulations.Queued q : queued) {
            if (q.run() != null) {
                out.printf("simulation %s: queued run %s with %d result(s): %s%n", q.request().simulationId(), q.run().simulationRunId(),
                        q.run().simulationResultIds().size(), String.join(", ", q.run().simulationResultIds()));
                runIds.add(q.run().simulationRunId());
            } else {
                allQueued = false;
                out.printf("simulation %s: %s: %s%n", q.request().simulationId(), q.state(), q.error());
                if ("IN_DOUBT".equals(q.state())) {
                    out.println("  a run may have been queued; check the dashboard before queueing it again (not retried)");
                }
            }
        }
        out.flush();
        if (wait.isZero() || runIds.isEmpty()) {
            return allQueued ? ExitCodes.OK : ExitCodes.FAILED;
        }
        out.printf("waiting up to %s for %d run(s)...%n", DurationConverter.format(wait), runIds.size());
        out.flush();
        boolean ok = allQueued;
        for (SimulationStore.RunView run : simulations.await(client, runIds, wait, poll)) {
            out.printf("%nrun %s (simulation %s): %s — %d passed, %d failed, %d result(s)%n", run.runId(), run.simulationId(),
                    run.status(), run.passed(), run.failed(), run.results().size());
            out.printf("  %-12s %-14s %-20s %-8s %s%n", "result", "digital human", "status", "outcome", "via");
            for (SimulationStore.ResultRow r : run.results()) {
                out.printf("  %-12s %-14s %-20s %-8s %s%n", r.resultId(), r.digitalHumanId() == null ? "-" : r.digitalHumanId(), r.status(),
                        r.outcome() == null ? "-" : r.outcome(), r.resultSource() == null ? "-" : r.resultSource().toLowerCase());
            }
            ok &= run.finished() && run.failed() == 0;
        }
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
