package dev.calleval.bluejay;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The request budget of each Bluejay account ({@code calleval.bluejay.rate-limit.*}; docs/rate-budget.md): how many
 * requests per second all of calleval sends with one API key, every execution in every process on the same state
 * store together. A job's {@code submit.rate-limit} can only lower its own share.
 *
 * <pre>
 * calleval.bluejay.rate-limit.per-second: 20                          # every account (CALLEVAL_BLUEJAY_RATE_LIMIT_PER_SECOND)
 * calleval.bluejay.rate-limit.accounts[0].base-url: https://eu.example # an account with a limit of its own
 * calleval.bluejay.rate-limit.accounts[0].per-second: 5
 * </pre>
 *
 * @param perSecond requests per second of an account not listed in {@code accounts}; 0: no shared budget (each
 *     execution paces itself at its {@code submit.rate-limit}, as before). Between 0 and 10000; default 20
 * @param accounts accounts with a limit of their own, by base URL (normalised as the ledger records it:
 *     {@link BluejayEndpoint#of}); every key used with that base URL shares it
 */
@ConfigurationProperties("calleval.bluejay.rate-limit")
@Validated
public record BluejayRateLimitSettings(
        @DecimalMin(value = "0", message = RANGE) @DecimalMax(value = "10000", message = RANGE) @DefaultValue("20") double perSecond,
        @Valid @DefaultValue List<Account> accounts) {
    /** What a limit outside its range is told (after the key's name). */
    static final String RANGE = "must be between 0 and 10000 requests per second";

    /**
     * One account's limit.
     *
     * @param baseUrl the API root its requests go to, e.g. {@code https://api.getbluejay.ai}
     * @param perSecond its requests per second, all executions together; 0: no shared budget
     */
    public record Account(@NotBlank(message = "is required") String baseUrl,
            @DecimalMin(value = "0", message = RANGE) @DecimalMax(value = "10000", message = RANGE) double perSecond) {}

    /** The limit of the account at {@code baseUrl}: its own when listed, else {@link #perSecond}. */
    public double perSecondAt(URI baseUrl) {
        BluejayEndpoint endpoint = BluejayEndpoint.of(baseUrl);
        for (Account account : accounts) {
            if (BluejayEndpoint.of(URI.create(account.baseUrl().strip())).equals(endpoint)) {
                return account.perSecond();
            }
        }
        return perSecond;
    }
}
