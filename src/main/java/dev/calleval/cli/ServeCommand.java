package dev.calleval.cli;

import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.serve.ServeRuntime;
import dev.calleval.serve.ServeSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code serve}: one long-running process — the webhook receiver with results reconciled as they arrive, the
 * schedules of the job files, and the launch API — until the process is stopped. See {@link ServeRuntime}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs as a service until stopped: receives Bluejay's webhooks (POST /webhooks/bluejay) and reconciles "
                + "them as they arrive, polls calls whose webhook is late, runs the jobs whose file declares a schedule:, and "
                + "launches jobs on demand over HTTP (POST /api/jobs/NAME/executions; bearer token CALLEVAL_API_TOKEN; "
                + "without it the launch API is off).",
                "Job files are read once, at start. SIGTERM or Ctrl-C stops it: running executions end after their current "
                        + "chunk, STOPPED, and the next launch over the same source restarts them."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or Ctrl-C, after running executions stopped (a second signal exits at once with 130)",
                "2:bad usage or configuration, at start: an invalid job file, BLUEJAY_API_KEY missing, no webhook signing secret "
                        + "(real API, unless calleval.webhook.allow-unsigned), a *_FILE secret unreadable, empty or set twice, the port "
                        + "taken, the database unreachable"})
class ServeCommand implements Callable<Integer> {
    @Spec
    @Nullable CommandSpec spec;

    @Option(names = "--sandbox", description = "send to an embedded Bluejay-compatible sandbox on loopback, whose webhooks come back here (no API key needed)")
    boolean sandbox;

    @Option(names = "--reconcile-every", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = "pause between reconciliation rounds of the webhook inbox (default ${DEFAULT-VALUE})")
    Duration reconcileEvery = Duration.ofSeconds(5);

    @Option(names = "--poll-after", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5m",
            description = "poll retrieve-call-log for a call without a result this long after it was submitted (default ${DEFAULT-VALUE})")
    Duration pollAfter = Duration.ofMinutes(5);

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1m",
            description = "pause between polling rounds (default ${DEFAULT-VALUE})")
    Duration pollInterval = Duration.ofMinutes(1);

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "6h",
            description = "mark a call without a result this long after it was submitted OVERDUE; a later result still counts (default ${DEFAULT-VALUE})")
    Duration window = Duration.ofHours(6);

    @Option(names = "--concurrent-executions", paramLabel = "N", defaultValue = "2",
            description = "job executions running at once; up to 16 more wait, and a launch beyond that is refused (503) (default ${DEFAULT-VALUE})")
    int concurrentExecutions = 2;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "60s",
            description = "on SIGTERM, how long to wait for running executions to stop after their chunk (default ${DEFAULT-VALUE})")
    Duration shutdownTimeout = Duration.ofSeconds(60);

    /** Polling requests per second. */
    static final double POLL_RATE_LIMIT = 10;

    private final JobDefinitions jobs;
    private final ApiConnection connection;
    private final ObjectProvider<ServeRuntime> runtime;
    private final ApplicationContext context;

    /** {@code calleval.serve.*}; null only in the instance that parses a command line without a context (CliRunner). */
    private final ServeSettings settings;

    ServeCommand(JobDefinitions jobs, ApiConnection connection, ObjectProvider<ServeRuntime> runtime, ApplicationContext context,
            ServeSettings settings) {
        this.jobs = jobs;
        this.connection = connection;
        this.runtime = runtime;
        this.context = context;
        this.settings = settings;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        PrintWriter err = spec().commandLine().getErr();
        ServeRuntime serve = runtime.getIfAvailable();
        if (serve == null || !(context instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            err.println("calleval: serve needs its web server and the serve profile (start it as 'calleval serve')");
            return ExitCodes.USAGE;
        }
        if (concurrentExecutions < 1 || concurrentExecutions > 64) {
            err.println("calleval: --concurrent-executions must be 1..64, got " + concurrentExecutions);
            return ExitCodes.USAGE;
        }
        SortedMap<String, JobDefinition> definitions = jobs.all();
        try (ApiConnection.Open open = connection.open(sandbox ? JobExecution.sandboxConfig() : null, out, err)) {
            if (open == null) {
                return ExitCodes.USAGE;
            }
            if (!serve.start(new ServeRuntime.Settings(reconcileEvery, pollAfter, pollInterval, window, concurrentExecutions, shutdownTimeout),
                    definitions, jobs.directory(), new ServeRuntime.Connection(open.baseUrl(), open.apiKey(), open.client(POLL_RATE_LIMIT)))) {
                err.println("calleval: serve stopped while it was starting (SIGTERM or the context closed); nothing was started");
                return ExitCodes.OK;
            }
            if (settings.handleSignals()) {
                stopOnSignals(serve);
            }
            out.printf("serve: listening on port %d (webhooks: POST /webhooks/bluejay; launch API: /api/jobs); stop with SIGTERM or Ctrl-C%n",
                    web.getWebServer().getPort());
            out.flush();
            serve.awaitStopped();
        }
        return ExitCodes.OK;
    }

    /**
     * SIGTERM and SIGINT stop serve gracefully before the JVM begins its shutdown, whose hooks run at once and in no
     * order (H2 closes its database in one, under the running executions); the command then returns and the process
     * exits 0. A second signal exits at once.
     */
    private static void stopOnSignals(ServeRuntime serve) {
        AtomicBoolean signalled = new AtomicBoolean();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (signalled.getAndSet(true)) {
                        System.err.println("calleval: second signal: exiting now; executions still running stay STARTED");
                        Runtime.getRuntime().halt(130);
                    }
                    Thread stopper = new Thread(serve::stop, "serve-stop");
                    stopper.start();
                });
            } catch (IllegalArgumentException e) {
                // this signal cannot be handled here (e.g. the JVM runs with -Xrs): the context's shutdown hook stops serve
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
