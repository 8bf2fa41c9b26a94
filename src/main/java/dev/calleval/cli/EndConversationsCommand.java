package dev.calleval.cli;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.simulation.ConversationEnder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code end-conversations}: end hanging simulated conversations; only RUNNING results are sent. */
@Command(name = "end-conversations", mixinStandardHelpOptions = true,
        description = {"Ends simulated conversations that are still RUNNING (POST /v1/end-conversations). Each given id "
                + "is checked first and only RUNNING ones are sent; with --run, the run's RUNNING results older than --older-than."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every result sent was ended (results not RUNNING are skipped, not failures)",
                "1:Bluejay could not end some results (failed_ids), a lookup or request failed, or the API key was refused",
                "2:bad usage or configuration"})
class EndConversationsCommand implements Callable<Integer>, ReceivesWebhooks {
    @Spec
    @Nullable CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target = new Target();

    static class Target {
        @Option(names = "--ids", paramLabel = "ID", split = ",", description = "test result ids to end (comma-separated or repeated)")
        List<Long> ids = new ArrayList<>();

        @Option(names = "--run", paramLabel = "RUN_ID", description = "end the RUNNING results of this simulation run")
        @Nullable String runId;
    }

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            description = "with --run: only results that started at least this long ago (e.g. 15m; default ${DEFAULT-VALUE} = all)")
    Duration olderThan = Duration.ZERO;

    @Option(names = "--sandbox", description = "use an embedded Bluejay-compatible sandbox on loopback")
    boolean sandbox;

    /** Only the embedded sandbox sends its webhooks back to this process: without it, no port is opened. */
    @Override
    public boolean receivesWebhooks() {
        return sandbox;
    }

    private final ApiConnection connection;
    private final ConversationEnder ender;

    EndConversationsCommand(ApiConnection connection, ConversationEnder ender) {
        this.connection = connection;
        this.ender = ender;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out, spec().commandLine().getErr())) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            try {
                ConversationEnder.Outcome outcome = target.runId != null
                        ? ender.endRunningInRun(open.client(5), target.runId, olderThan)
                        : ender.endResults(open.client(5), target.ids);
                return print(outcome, out);
            } catch (AuthenticationFailedException e) {
                spec().commandLine().getErr().println("calleval: " + e.getMessage());
                return ExitCodes.FAILED;
            } catch (BluejayApiException e) {
                spec().commandLine().getErr().println("calleval: nothing ended: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
    }

    static int print(ConversationEnder.Outcome outcome, PrintWriter out) {
        out.printf("sent %d RUNNING result(s): %s%n", outcome.sent().size(), outcome.sent());
        out.printf("ended_count: %d%n", outcome.endedCount());
        out.printf("failed_ids: %s%n", outcome.failedIds());
        for (Map.Entry<Long, String> skipped : outcome.skipped().entrySet()) {
            out.printf("skipped %d: %s%n", skipped.getKey(), skipped.getValue());
        }
        outcome.errors().forEach(e -> out.println("error: " + e));
        out.flush();
        return outcome.failedIds().isEmpty() && outcome.errors().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
