package dev.calleval.bluejay;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Builds the HTTP requests of {@link BluejayClient}: the base URL without trailing slashes (worked out once, not per
 * request), the request timeout, {@code Accept}, {@code User-Agent} and {@code X-API-Key} headers, path segments
 * encoded, and JSON bodies through {@link RequestBodies}. Thread-safe.
 */
final class BluejayRequests {

    private final BluejayClientSettings settings;
    private final String baseUrl;
    private final RequestBodies bodies;

    BluejayRequests(BluejayClientSettings settings, RequestBodies bodies) {
        this.settings = settings;
        this.baseUrl = settings.baseUrl().toString().replaceAll("/+$", "");
        this.bodies = bodies;
    }

    /** {@code POST path} with {@code body} as JSON. */
    HttpRequest post(String path, Object body) {
        return base(path)
                .header("Content-Type", "application/json")
                .POST(bodies.publisher(body))
                .build();
    }

    /** {@code POST path} without a body. */
    HttpRequest postEmpty(String path) {
        return base(path).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** {@code GET path} ({@code path} may carry a query). */
    HttpRequest get(String path) {
        return base(path).GET().build();
    }

    /** A path value encoded as one URL path segment (a space as {@code %20}). */
    static String segment(String pathValue) {
        return URLEncoder.encode(pathValue, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder base(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "calleval/0.1")
                .header("X-API-Key", settings.apiKey().reveal());
    }
}
