package dev.calleval.cli;

import dev.calleval.bluejay.SmsSimulationRunRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code simulate-sms}: queue SMS simulation runs, optionally wait for their results, print pass/fail per result. */
@Command(name = "simulate-sms", mixinStandardHelpOptions = true,
        description = {"Queues SMS simulation runs (POST /v1/queue-sms-simulation-run), records their run and result ids, "
                + "and with --wait-for waits for the results (webhooks, else polling) and prints pass/fail per result."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every run was queued (and, when waiting, every result finished and none failed)",
                "1:a run was not queued (refused, failed or in doubt), a result failed, or results were still running when the wait ended",
                "2:bad usage or configuration"})
class SimulateSmsCommand implements Callable<Integer>, ReceivesWebhooks {
    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--simulation-id", paramLabel = "ID", required = true, description = "simulation to run; repeat to queue several runs")
    List<String> simulationIds = new ArrayList<>();

    @Option(names = "--prompt-id", paramLabel = "UUID", description = "prompt version for the runs")
    @Nullable String promptId;

    @Option(names = "--knowledge-base-id", paramLabel = "UUID", description = "knowledge-base version for the runs")
    @Nullable String knowledgeBaseId;

    @Option(names = "--digital-human", paramLabel = "ID", split = ",", description = "run only these digital humans (repeat or comma-separate)")
    List<String> digitalHumanIds = new ArrayList<>();

    @Option(names = "--terminate-overlapping", description = "end running conversations that use the same pair of phone numbers")
    boolean terminateOverlapping;

    @Option(names = "--runs-per-digital-human", paramLabel = "N", description = "results per digital human (default: the simulation's setting)")
    @Nullable Integer runsPerDigitalHuman;

    @Option(names = "--wait-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "wait up to this long for every result to finish (e.g. 10m; default 0 = do not wait, 2m with --sandbox)")
    @Nullable Duration waitFor;

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "15s",
            description = "pause between polls of retrieve-simulation-results while waiting (default ${DEFAULT-VALUE})")
    Duration pollInterval = Duration.ofSeconds(15);

    @Option(names = "--sandbox", description = "queue on an embedded Bluejay-compatible sandbox on loopback")
    boolean sandbox;

    /** Only the embedded sandbox sends its webhooks back to this process: without it, no port is opened. */
    @Override
    public boolean receivesWebhooks() {
        return sandbox;
    }

    private final ApiConnection connection;
    private final JobExecution execution;

    SimulateSmsCommand(ApiConnection connection, JobExecution execution) {
        this.connection = connection;
        this.execution = execution;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        List<SmsSimulationRunRequest> requests = new ArrayList<>();
        for (String simulationId : simulationIds) {
            requests.add(new SmsSimulationRunRequest(simulationId, promptId, knowledgeBaseId,
                    digitalHumanIds.isEmpty() ? null : digitalHumanIds, terminateOverlapping ? Boolean.TRUE : null, runsPerDigitalHuman));
        }
        Duration wait = waitFor != null ? waitFor : sandbox ? Duration.ofMinutes(2) : Duration.ZERO;
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out,
                spec().commandLine().getErr())) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            return execution.simulateSms(open.client(5), requests, "simulate-sms", wait, pollInterval, out);
        }
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
