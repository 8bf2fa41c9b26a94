package dev.calleval.cli;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayApiSettings;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.RequestListener;
import dev.calleval.budget.AccountBudgets;
import dev.calleval.monitoring.BluejayHealthIndicator;
import dev.calleval.monitoring.BluejayRequestMetrics;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.webhook.WebhookSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Where a command's requests go: Bluejay ({@link BluejayApiSettings}: {@code BLUEJAY_BASE_URL}, {@code BLUEJAY_API_KEY}), or with
 * {@code --sandbox} an embedded sandbox on loopback whose webhooks come back to this process's receiver, signed with
 * a fresh random secret. Against the real API, a command that receives webhooks needs their signing secret
 * ({@link WebhookSettings#requireSigning()}). The health indicator pings the API opened; clients report to the request metrics.
 */
@Component
class ApiConnection {
    private final WebhookSettings webhookSettings;
    private final ApplicationContext context;
    private final String apiKey;
    private final String baseUrl;
    private final BluejayHealthIndicator health;
    private final BluejayRequestMetrics metrics;
    private final AccountBudgets budgets;

    ApiConnection(WebhookSettings webhookSettings, ApplicationContext context, BluejayApiSettings api, BluejayHealthIndicator health,
            BluejayRequestMetrics metrics, AccountBudgets budgets) {
        this.budgets = budgets;
        this.health = health;
        this.metrics = metrics;
        this.webhookSettings = webhookSettings;
        this.context = context;
        this.apiKey = api.apiKey();
        this.baseUrl = api.baseUrl();
    }

    /** An open connection: the API root and key, and the sandbox when one was started (closed with this). */
    record Open(URI baseUrl, ApiKey apiKey, @Nullable SandboxServer sandbox, RequestListener listener, AccountBudgets budgets)
            implements AutoCloseable {
        /**
         * What the ledger records this connection's calls under: {@link BluejayEndpoint#SANDBOX} for the embedded
         * sandbox (whose URL changes every run), else the normalised base URL.
         */
        BluejayEndpoint endpoint() {
            return sandbox != null ? BluejayEndpoint.SANDBOX : BluejayEndpoint.of(baseUrl);
        }

        /**
         * A client with default timeouts and retries whose requests take their permits from the account's budget
         * (docs/rate-budget.md), at most {@code requestsPerSecond} of them (0 = no limit of its own).
         */
        BluejayClient client(double requestsPerSecond) {
            return new BluejayClient(new BluejayClientSettings(baseUrl, apiKey, requestsPerSecond, Duration.ofSeconds(10),
                    Duration.ofSeconds(60), BluejayClientSettings.RetrySettings.defaults(), endpoint()), listener,
                    budgets.forExecution(baseUrl, apiKey, "calleval", requestsPerSecond));
        }

        @Override
        public void close() {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    /**
     * The endpoint a command's calls would be recorded under, without opening anything (no sandbox started, no API key
     * needed): {@link BluejayEndpoint#SANDBOX} with {@code --sandbox}, else {@code BLUEJAY_BASE_URL} normalised.
     *
     * @throws IllegalArgumentException when {@code BLUEJAY_BASE_URL} is not an http(s) URL
     */
    BluejayEndpoint endpoint(boolean sandbox) {
        return sandbox ? BluejayEndpoint.SANDBOX : BluejayEndpoint.of(URI.create(baseUrl));
    }

    /**
     * Opens the connection.
     *
     * @param sandboxConfig the sandbox to start, or null for the real API
     * @return null (after printing why to {@code err}) when no API key is set for the real API
     * @throws dev.calleval.webhook.WebhookSecretException when this command receives webhooks (it runs a web server) from
     *     the real API, and no signing secret is set nor unsigned webhooks allowed (the command line says so in one line, exit 2)
     */
    @Nullable Open open(@Nullable SandboxConfig sandboxConfig, PrintWriter out, PrintWriter err) throws java.io.IOException {
        if (sandboxConfig != null) {
            String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
            webhookSettings.useSecret(secret);
            URI webhookUrl = URI.create("http://127.0.0.1:" + serverPort() + "/webhooks/bluejay");
            SandboxServer server = SandboxServer.start(sandboxConfig.withWebhook(webhookUrl, secret));
            out.printf("sandbox: Bluejay-compatible API at %s, webhooks to %s%n", server.baseUri(), webhookUrl);
            out.flush();
            health.use(server.baseUri(), ApiKey.of("sandbox"));
            return new Open(server.baseUri(), ApiKey.of("sandbox"), server, metrics, budgets);
        }
        if (apiKey.isBlank()) {
            err.println("calleval: BLUEJAY_API_KEY is not set: export it (or BLUEJAY_API_KEY_FILE; a key from app.getbluejay.ai/settings/api-keys), "
                    + "or add --sandbox");
            return null;
        }
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null && web.getWebServer().getPort() > 0) {
            webhookSettings.requireSigning(); // this command receives the real API's webhooks: they must be verifiable
        } // SERVER_PORT=-1: no port is open (a run beside serve, whose webhooks serve receives): nothing to verify here
        return new Open(URI.create(baseUrl), ApiKey.of(apiKey), null, metrics, budgets);
    }

    private int serverPort() {
        if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            return web.getWebServer().getPort();
        }
        throw new IllegalStateException("--sandbox needs the webhook receiver, but no web server is running");
    }
}
