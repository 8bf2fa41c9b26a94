package dev.calleval.jobfile;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.budget.AccountBudgets;
import dev.calleval.monitoring.BluejayRequestMetrics;
import java.net.URI;
import org.springframework.stereotype.Component;

/**
 * Creates the one client of a run from the job's {@code submit:} settings and the connection (URL, key); its requests
 * are counted in the {@code calleval.bluejay.*} metrics and take their permits from the account's budget, shared with
 * every other execution on the state store ({@code submit.rate-limit} only lowers this run's share; docs/rate-budget.md).
 */
@Component
public class BluejayClientFactory {
    private final BluejayRequestMetrics metrics;
    private final AccountBudgets budgets;

    /** @param budgets the accounts' budgets every client of this process takes its permits from */
    public BluejayClientFactory(BluejayRequestMetrics metrics, AccountBudgets budgets) {
        this.metrics = metrics;
        this.budgets = budgets;
    }

    /**
     * A client whose calls the ledger records under the endpoint of {@code baseUrl} ({@link BluejayEndpoint#of}).
     *
     * @param baseUrl API root, e.g. {@code https://api.getbluejay.ai} or a standalone sandbox's URL
     */
    public BluejayClient create(JobDefinition definition, URI baseUrl, ApiKey apiKey) {
        return create(definition, baseUrl, apiKey, BluejayEndpoint.of(baseUrl));
    }

    /**
     * @param baseUrl API root, e.g. {@code https://api.getbluejay.ai} or the sandbox's loopback URL
     * @param endpoint what the ledger records the calls under: {@link BluejayEndpoint#SANDBOX} for the embedded sandbox
     */
    public BluejayClient create(JobDefinition definition, URI baseUrl, ApiKey apiKey, BluejayEndpoint endpoint) {
        SubmitSettings submit = definition.submit();
        return new BluejayClient(new BluejayClientSettings(baseUrl, apiKey, submit.rateLimit(), submit.connectTimeout(),
                submit.requestTimeout(), submit.retry().settings(), endpoint), metrics,
                budgets.forExecution(baseUrl, apiKey, definition.name(), submit.rateLimit()));
    }
}
