package dev.calleval.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The call endpoints: {@code POST /v1/evaluate} (§1), {@code GET /v1/retrieve-call-log/{call_id}} (§2.1),
 * {@code GET /v1/retrieve-call-logs/{agent_id}} (§2.4) and {@code POST /v1/re-evaluate/{call_id}} (§6), with the
 * calls they keep and the {@code observability_call_evaluated} webhook sent when an evaluation completes. The rules
 * are those {@link SandboxServer} documents. Thread-safe.
 */
final class CallsApi {

    static final String EVENT_TYPE = "observability_call_evaluated";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SandboxConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final WebhookDispatcher dispatcher;
    private final JsonExchange bodies;
    private final CallRequestValidator validator = new CallRequestValidator();
    private final RecordingFetcher recordingFetcher = new RecordingFetcher();
    private final ConcurrentHashMap<String, StoredCall> calls = new ConcurrentHashMap<>();
    private final AtomicLong callSequence = new AtomicLong();

    CallsApi(SandboxConfig config, Clock clock, ScheduledExecutorService scheduler, WebhookDispatcher dispatcher,
            JsonExchange bodies) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.dispatcher = dispatcher;
        this.bodies = bodies;
    }

    /** Adds a call another sandbox accepted, as {@link StoredCall#imported} describes; replaces one with the same id. */
    void importCall(ObjectNode callLog) {
        StoredCall call = StoredCall.imported(callLog, callSequence.incrementAndGet());
        calls.put(call.id(), call);
    }

    Answer evaluate(byte[] body, @Nullable String contentType) {
        JsonExchange.Body parsed = bodies.parse(body, contentType);
        if (parsed.rejection() != null) {
            return parsed.rejection();
        }
        CallRequestValidator.Outcome outcome = validator.validate(parsed.json());
        ObjectNode request = outcome.request();
        if (request == null) {
            return Answer.unprocessable(outcome.errors());
        }
        JsonNode recordingUrl = request.get("recording_url");
        if (config.fetchRecordings() && recordingUrl != null && recordingUrl.isString()) {
            String problem = recordingFetcher.problem(recordingUrl.stringValue());
            if (problem != null) {
                PydanticTypes.Errors errors = new PydanticTypes.Errors();
                errors.add("recording_fetch_failed", List.of("body", "recording_url"),
                        "recording_url could not be fetched: " + problem + " (sandbox rule: Bluejay must be able to fetch it)", recordingUrl, null);
                return Answer.unprocessable(errors.items);
            }
        }
        String callId = UUID.randomUUID().toString();
        StoredCall call = StoredCall.accept(callId, request, timestamp(), callSequence.incrementAndGet());
        calls.put(callId, call);
        long delayNanos = config.evaluationDelay().toNanos();
        schedule(call::markEvaluating, delayNanos / 2);
        schedule(() -> complete(call), delayNanos);
        ObjectNode answer = NODES.objectNode();
        answer.put("status", "success");
        answer.put("call_id", callId);
        answer.put("message", "Call queued for evaluation");
        return Answer.done(answer);
    }

    private void complete(StoredCall call) {
        call.complete(timestamp());
        ObjectNode event = NODES.objectNode();
        event.put("type", EVENT_TYPE);
        event.setAll(call.callLog());
        dispatcher.emit(EVENT_TYPE, call.id(), event);
    }

    Answer retrieve(String callId) {
        StoredCall call = calls.get(callId);
        if (call == null) {
            return Answer.of(404, Answer.detail("Call log not found"));
        }
        ObjectNode answer = NODES.objectNode();
        answer.set("call_log", call.callLog());
        answer.put("status", "200");
        return Answer.done(answer);
    }

    Answer retrieveLogs(String agentId, @Nullable String rawQuery) {
        CallLogListing.Parsed parsed = CallLogListing.parse(query(rawQuery));
        CallLogListing listing = parsed.listing();
        if (listing == null) {
            return Answer.unprocessable(parsed.errors());
        }
        return Answer.done(listing.answer(agentId, calls.values(), clock.instant()));
    }

    Answer reEvaluate(String rawCallId) {
        PydanticFormats.Parsed<String> uuid = PydanticFormats.uuid(rawCallId);
        PydanticFormats.Failure failure = uuid.failure();
        String callId = uuid.value();
        if (failure != null || callId == null) {
            PydanticTypes.Errors errors = new PydanticTypes.Errors();
            String reason = failure == null ? "invalid" : failure.reason();
            errors.add("uuid_parsing", List.of("path", "call_id"), "Input should be a valid UUID, " + reason,
                    NODES.stringNode(rawCallId), PydanticTypes.ctx("error", reason));
            return Answer.unprocessable(errors.items);
        }
        StoredCall call = calls.get(callId);
        if (call == null) {
            return Answer.of(404, Answer.detail("Call log not found"));
        }
        call.reEvaluate();
        schedule(() -> complete(call), config.evaluationDelay().toNanos());
        ObjectNode answer = NODES.objectNode();
        answer.put("status", "success");
        answer.put("call_id", callId);
        answer.put("message", "Call queued for re-evaluation");
        return Answer.done(answer);
    }

    /** Now, to the microsecond as Python's datetime keeps it. */
    private Instant timestamp() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void schedule(Runnable task, long delayNanos) {
        try {
            scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Decoded query parameters; the last value of a repeated name wins, as in Starlette. */
    static Map<String, String> query(@Nullable String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.put(decodeQuery(name), decodeQuery(value));
        }
        return parameters;
    }

    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }
}
