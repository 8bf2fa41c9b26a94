package dev.calleval.sandbox;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request that reached a {@link SandboxServer} (admin requests under {@code /_sandbox/} excepted), as listed by
 * {@link SandboxServer#requests()} and {@code GET /_sandbox/requests}. A request is logged once it has been
 * answered (or its connection closed), so one still in flight is not listed yet.
 *
 * @param seq arrival order, starting at 1; the log is sorted by it
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the raw request path with its query, e.g. {@code /v1/retrieve-call-logs/34?page=2}
 * @param status the HTTP status answered, or {@code 0} when the connection was closed without an answer (a reset,
 *     injected before or after processing)
 * @param receivedAt when the request arrived (UTC)
 * @param endpoint the endpoint the path resolved to, or {@code null} for an unknown path (answered 404)
 * @param fault the injected fault that decided the answer: {@code scripted}, {@code rate_limit},
 *     {@code connection_reset}, {@code server_error}, {@code accept_then_fail} or {@code accept_then_reset}; null
 *     when none did
 * @param body the request body as UTF-8 text when {@link SandboxConfig#recordBodies()} is on, else {@code null}
 */
public record LoggedRequest(
        long seq,
        String method,
        String path,
        int status,
        Instant receivedAt,
        @Nullable SandboxEndpoint endpoint,
        @Nullable String fault,
        @Nullable String body) {

    /** Checks that the required components are present. */
    public LoggedRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
