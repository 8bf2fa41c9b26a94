package dev.calleval.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code /v1} operations a {@link SandboxServer} serves, each with its HTTP method, path template and the
 * section of the API reference ({@code shared/bluejay-api.md}) it follows. {@link #id()} is the stable name used in
 * {@link SandboxStats}, the request log and {@code GET /_sandbox/stats}.
 */
public enum SandboxEndpoint {

    /** {@code POST /v1/evaluate}, alias {@code POST /v1/evaluate-call} (§1). */
    EVALUATE("POST", "/v1/evaluate", false, true),
    /** {@code GET /v1/retrieve-call-log/{call_id}} (§2.1). */
    RETRIEVE_CALL_LOG("GET", "/v1/retrieve-call-log/", true, false),
    /** {@code GET /v1/retrieve-call-logs/{agent_id}?page=&page_size=&last=&label=} (§2.4). */
    RETRIEVE_CALL_LOGS("GET", "/v1/retrieve-call-logs/", true, false),
    /** {@code POST /v1/re-evaluate/{call_id}} (§6). */
    RE_EVALUATE("POST", "/v1/re-evaluate/", true, false),
    /** {@code POST /v1/update-simulation-result} (§4.1). */
    UPDATE_SIMULATION_RESULT("POST", "/v1/update-simulation-result", false, true),
    /** {@code POST /v1/queue-sms-simulation-run} (§4.2). */
    QUEUE_SMS_SIMULATION_RUN("POST", "/v1/queue-sms-simulation-run", false, true),
    /** {@code POST /v1/end-conversations} (§4.3). */
    END_CONVERSATIONS("POST", "/v1/end-conversations", false, true),
    /** {@code GET /v1/retrieve-simulation-results/{simulation_run_id}} (§4.4). */
    RETRIEVE_SIMULATION_RESULTS("GET", "/v1/retrieve-simulation-results/", true, false),
    /** {@code GET /v1/retrieve-simulation-result/{test_result_id}} (§4.5). */
    RETRIEVE_SIMULATION_RESULT("GET", "/v1/retrieve-simulation-result/", true, false),
    /** {@code GET /v1/ping} (§0). */
    PING("GET", "/v1/ping", false, false);

    /** A request path resolved to an endpoint, with the decoded path parameter when the template has one. */
    record Match(SandboxEndpoint endpoint, @Nullable String pathParameter) {}

    private final String method;
    private final String path;
    private final boolean parameterised;
    private final boolean inDoubtFaults;

    SandboxEndpoint(String method, String path, boolean parameterised, boolean inDoubtFaults) {
        this.method = method;
        this.path = path;
        this.parameterised = parameterised;
        this.inDoubtFaults = inDoubtFaults;
    }

    /** The HTTP method, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** The path, or for a parameterised endpoint its prefix up to and including the last {@code /}. */
    public String path() {
        return path;
    }

    /** The stable lowercase name, e.g. {@code update-simulation-result}, {@code retrieve-call-log}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether {@link SandboxConfig.Faults#acceptThenFailRate()} and {@link SandboxConfig.Faults#acceptThenResetRate()}
     * apply: the state-changing POSTs whose lost answer leaves a client in doubt (evaluate,
     * update-simulation-result, queue-sms-simulation-run, end-conversations).
     */
    public boolean inDoubtFaults() {
        return inDoubtFaults;
    }

    /**
     * Resolves a raw request path (still percent-encoded) to an endpoint regardless of the method; {@code null}
     * when no endpoint has that path (FastAPI's 404 {@code Not Found}). A parameterised endpoint matches exactly one
     * non-empty segment after its prefix.
     */
    static @Nullable Match resolve(String rawPath) {
        if (rawPath.equals("/v1/evaluate-call")) {
            return new Match(EVALUATE, null);
        }
        for (SandboxEndpoint endpoint : values()) {
            if (!endpoint.parameterised) {
                if (rawPath.equals(endpoint.path)) {
                    return new Match(endpoint, null);
                }
            } else if (rawPath.startsWith(endpoint.path) && rawPath.length() > endpoint.path.length()
                    && rawPath.indexOf('/', endpoint.path.length()) < 0) {
                return new Match(endpoint, decode(rawPath.substring(endpoint.path.length())));
            }
        }
        return null;
    }

    /**
     * Percent-decodes a path segment; {@code +} stays a plus sign, as in any URL path, and a malformed escape is
     * kept as it is.
     */
    static String decode(String rawSegment) {
        try {
            return URLDecoder.decode(rawSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rawSegment;
        }
    }
}
