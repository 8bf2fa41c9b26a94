package dev.calleval.bluejay;

import java.net.URI;
import java.util.Locale;

/**
 * Which Bluejay a request goes to, as the ledger records it: every ledger row (a call, a simulation-result update)
 * belongs to the endpoint that accepted it, so that what the sandbox accepted never counts as done for the real API
 * (docs/ledger.md).
 *
 * <p>The key is {@value #SANDBOX_KEY} for the sandbox that {@code --sandbox} embeds (its loopback URL changes every
 * run, and a rerun must still find its own calls done), else the normalised base URL: lower-case scheme and host,
 * the port only when it is not the scheme's default, the path without trailing slashes; never user info, query or
 * fragment, so never a secret. At most {@value #MAX_LENGTH} characters (the ledger's column).
 *
 * @param key {@value #SANDBOX_KEY} or a normalised URL such as {@code https://api.getbluejay.ai}
 */
public record BluejayEndpoint(String key) {
    /** The key of the sandbox embedded by {@code --sandbox}. */
    public static final String SANDBOX_KEY = "sandbox";
    /** The longest key the ledger stores. */
    public static final int MAX_LENGTH = 300;
    /** The sandbox embedded by {@code --sandbox}. */
    public static final BluejayEndpoint SANDBOX = new BluejayEndpoint(SANDBOX_KEY);
    /**
     * The real API at its default base URL ({@code BLUEJAY_BASE_URL} unset). Ledger rows written before endpoints
     * were recorded belong to it (migration V9).
     */
    public static final BluejayEndpoint DEFAULT = of(URI.create("https://api.getbluejay.ai"));

    public BluejayEndpoint {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("an endpoint key is required");
        }
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("BLUEJAY_BASE_URL is longer than " + MAX_LENGTH + " characters (" + key.length() + ")");
        }
        if (!key.equals(SANDBOX_KEY) && !key.contains("://")) {
            throw new IllegalArgumentException("an endpoint key is '" + SANDBOX_KEY + "' or a URL, got '" + key + "'");
        }
    }

    /**
     * The endpoint of an API root: {@code HTTPS://API.Example.com:443/bluejay/} → {@code https://api.example.com/bluejay}.
     *
     * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http(s) URL with a host
     */
    public static BluejayEndpoint of(URI baseUrl) {
        if (baseUrl == null || baseUrl.getScheme() == null || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("BLUEJAY_BASE_URL must be an absolute http(s) URL, got: " + baseUrl);
        }
        String scheme = baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("BLUEJAY_BASE_URL must be an http(s) URL, got scheme '" + scheme + "'");
        }
        int port = baseUrl.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath().replaceAll("/+$", "");
        return new BluejayEndpoint(scheme + "://" + baseUrl.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path);
    }

    /** True for the sandbox embedded by {@code --sandbox}. */
    public boolean isSandbox() {
        return key.equals(SANDBOX_KEY);
    }

    /** The key, as shown in {@code status} and the reports. */
    @Override
    public String toString() {
        return key;
    }
}
