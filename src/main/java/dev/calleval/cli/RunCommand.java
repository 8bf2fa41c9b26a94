package dev.calleval.cli;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.job.BluejayClientFactory;
import dev.calleval.job.JobDefinition;
import dev.calleval.job.JobDefinitions;
import dev.calleval.job.JobRunner;
import dev.calleval.report.RunSummary;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.webhook.WebhookSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
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
                "1:the run failed (e.g. API key refused, Bluejay unreachable); re-run to resume",
                "2:bad usage or configuration"})
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

    private final JobDefinitions jobs;
    private final JobRunner runner;
    private final BluejayClientFactory clients;
    private final WebhookSettings webhookSettings;
    private final ApplicationContext context;
    private final String apiKey;
    private final String baseUrl;

    RunCommand(JobDefinitions jobs, JobRunner runner, BluejayClientFactory clients, WebhookSettings webhookSettings,
            ApplicationContext context, @Value("${BLUEJAY_API_KEY:}") String apiKey,
            @Value("${BLUEJAY_BASE_URL:https://api.getbluejay.ai}") String baseUrl) {
        this.jobs = jobs;
        this.runner = runner;
        this.clients = clients;
        this.webhookSettings = webhookSettings;
        this.context = context;
        this.apiKey = apiKey;
        this.baseUrl = baseUrl;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec().commandLine().getOut();
        JobDefinition definition = jobs.load(job);
        if (definition.kind() == JobDefinition.Kind.ENRICH) {
            return EnrichCommand.run(definition, definition.requireEnrich().resendInDoubt(), sandbox, runner, clients, apiKey, baseUrl,
                    out, spec().commandLine().getErr());
        }
        if (definition.kind() == JobDefinition.Kind.SIMULATE_SMS) {
            spec().commandLine().getErr().println("calleval: " + definition.name() + " is a simulate-sms job, which 'run' cannot run yet");
            return ExitCodes.USAGE;
        }
        Duration wait = waitForResults != null ? waitForResults : sandbox ? Duration.ofMinutes(2) : Duration.ZERO;
        if (sandbox) {
            String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
            webhookSettings.useSecret(secret);
            URI webhookUrl = URI.create("http://127.0.0.1:" + serverPort() + "/webhooks/bluejay");
            try (SandboxServer server = SandboxServer.start(SandboxConfig.defaults().withWebhook(webhookUrl, secret))) {
                out.printf("sandbox: Bluejay-compatible API at %s, webhooks to %s%n", server.baseUri(), webhookUrl);
                out.flush();
                int code = execute(definition, clients.create(definition, server.baseUri(), ApiKey.of("sandbox")), wait, out);
                out.printf("sandbox: %d evaluate request(s) received, %d accepted, %d webhook(s) sent%n",
                        server.stats().evaluateRequests(), server.stats().evaluateAccepted(), server.stats().webhooksSent());
                return code;
            }
        }
        if (apiKey.isBlank()) {
            spec().commandLine().getErr().println("calleval: BLUEJAY_API_KEY is not set: export it (a key from app.getbluejay.ai/settings/api-keys), or add --sandbox");
            return ExitCodes.USAGE;
        }
        return execute(definition, clients.create(definition, URI.create(baseUrl), ApiKey.of(apiKey)), wait, out);
    }

    private int execute(JobDefinition definition, BluejayClient client, Duration wait, PrintWriter out) throws Exception {
        JobRunner.RunOutcome outcome = runner.run(definition, client, wait);
        SummaryTable.print(outcome.summary(), out);
        out.flush();
        return outcome.completed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private int serverPort() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return web.getWebServer().getPort();
        }
        throw new IllegalStateException("--sandbox needs the webhook receiver, but no web server is running");
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }
}
