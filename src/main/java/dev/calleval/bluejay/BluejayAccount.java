package dev.calleval.bluejay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Bluejay account as the request budget knows it: the endpoint its requests go to and an id that tells keys apart
 * without holding one. Bluejay limits requests per API key, so every client with the same base URL and key shares one
 * budget (docs/rate-budget.md).
 *
 * @param endpoint the normalised base URL ({@link BluejayEndpoint#of})
 * @param id the hex SHA-256 (64 characters) of the endpoint's key, a newline and the API key: stored and logged in
 *     place of the key, from which the key cannot be read back
 */
public record BluejayAccount(BluejayEndpoint endpoint, String id) {

    public BluejayAccount {
        if (endpoint == null || id == null || !id.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an account is an endpoint and the 64 hex digits of a SHA-256");
        }
    }

    /** The account of {@code apiKey} at {@code baseUrl}. */
    public static BluejayAccount of(URI baseUrl, ApiKey apiKey) {
        BluejayEndpoint endpoint = BluejayEndpoint.of(baseUrl);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((endpoint.key() + "\n" + apiKey.reveal()).getBytes(StandardCharsets.UTF_8));
            return new BluejayAccount(endpoint, HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The endpoint and the first 12 digits of the id, e.g. {@code https://api.getbluejay.ai#3f9a0c12d4e5}. */
    @Override
    public String toString() {
        return endpoint.key() + "#" + id.substring(0, 12);
    }
}
