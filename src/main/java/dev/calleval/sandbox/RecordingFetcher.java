package dev.calleval.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Fetches a {@code recording_url} as Bluejay must before it can evaluate a call: a GET that answers 2xx with a
 * non-empty body within {@link #TIMEOUT}. The body is read and discarded. Hosts under the domains reserved for
 * documentation (RFC 2606/6761: {@code example.com}, {@code example.net}, {@code example.org} and their
 * subdomains, {@code *.example}, {@code *.invalid}) are placeholders that cannot hold a file: they are not fetched.
 * Thread-safe.
 */
final class RecordingFetcher {
    /** The longest a fetch may take, connection and whole body. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** Why {@code url} cannot be fetched, or null when it can (or is a documentation placeholder). */
    @Nullable String problem(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "it is not a URL the sandbox can request: " + e.getMessage();
        }
        if (placeholder(uri.getHost())) {
            return null;
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    return "GET answered HTTP " + response.statusCode();
                }
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    total += n;
                    if (System.nanoTime() > deadline) {
                        return "the download took longer than " + TIMEOUT.toSeconds() + " s";
                    }
                }
                return total == 0 ? "GET answered an empty body" : null;
            }
        } catch (HttpTimeoutException e) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        } catch (IOException e) {
            return "GET failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static boolean placeholder(@Nullable String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String domain : new String[] {"example.com", "example.net", "example.org"}) {
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return h.equals("example") || h.endsWith(".example") || h.equals("invalid") || h.endsWith(".invalid");
    }
}
