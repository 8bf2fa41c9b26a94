package dev.calleval.serve;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code calleval serve}'s settings ({@code calleval.serve.*}; docs/deployment.md, "serve"). {@link #toString()} masks the
 * token.
 *
 * @param handleSignals whether serve drains on SIGTERM/SIGINT itself (stops taking launches, lets running executions
 *     end their chunk); false only where the embedding code handles them (tests). Default true
 *     ({@code calleval.serve.handle-signals})
 * @param apiToken the launch API's bearer token ({@link ApiToken}); blank: the API answers 503. Default blank
 *     ({@code CALLEVAL_API_TOKEN} or {@code CALLEVAL_API_TOKEN_FILE})
 */
@ConfigurationProperties("calleval.serve")
public record ServeSettings(@DefaultValue("true") boolean handleSignals, @DefaultValue("") String apiToken) {
    @Override
    public String toString() {
        return "ServeSettings[handleSignals=" + handleSignals + ", apiToken=" + (apiToken.isBlank() ? "unset" : "****") + "]";
    }
}
