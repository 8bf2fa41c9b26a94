package dev.calleval.bluejay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which Bluejay a command talks to ({@code calleval.bluejay.*}; docs/operations.md, "Environment"). Binding never fails: a
 * malformed URL is told by the command that uses it, and a missing key by the command that needs one (the health
 * indicator then reports UNKNOWN). {@link #toString()} masks the key.
 *
 * @param baseUrl the API root without {@code /v1}; default {@code https://api.getbluejay.ai} ({@code BLUEJAY_BASE_URL})
 * @param apiKey sent as {@code X-API-Key}; blank: not set ({@code BLUEJAY_API_KEY} or {@code BLUEJAY_API_KEY_FILE})
 */
@ConfigurationProperties("calleval.bluejay")
public record BluejayApiSettings(@DefaultValue("https://api.getbluejay.ai") String baseUrl, @DefaultValue("") String apiKey) {

    @Override
    public String toString() {
        return "BluejayApiSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey.isBlank() ? "unset" : "****") + "]";
    }
}
