package dev.calleval.webhook;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.WebhookEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /webhooks/bluejay}: Bluejay's events webhook (§3). Answers within milliseconds: verify, store,
 * answer; reconciliation happens later from the inbox. All four documented types ({@code observability_call_evaluated},
 * {@code simulation_result_evaluated}, {@code simulation_ended}, {@code outbound_simulation_started}) and any type
 * this version does not know are stored alike; nothing is refused for its type or shape (an event that cannot be
 * read is kept and marked UNREADABLE when processed).
 * <ul>
 *   <li>413 when the body is longer than {@code calleval.webhook.max-body-size} (default
 *       {@value WebhookSettings#DEFAULT_MAX_BODY_SIZE}): refused from its {@code Content-Length} before any of it is
 *       read, or, for a chunked body, as soon as one byte more than the limit has been read; the connection is closed
 *       and nothing is stored;</li>
 *   <li>503 when no signing secret is configured ({@code BLUEJAY_WEBHOOK_SECRET}) and unsigned webhooks are not allowed
 *       ({@code calleval.webhook.allow-unsigned}); a command receiving webhooks from the real API does not start so
 *       (see {@link WebhookSettings#requireSigning()}), so this answers only the moment before it exits;</li>
 *   <li>401 when a secret is set and {@code X-Bluejay-Signature} is missing or matches the raw body with neither the
 *       current nor the previous secret ({@code BLUEJAY_WEBHOOK_SECRET_PREVIOUS});</li>
 *   <li>400 when the body is not a JSON object;</li>
 *   <li>200 {@code {"status":"stored"}} once the event is durably stored, or {@code {"status":"duplicate"}} for a
 *       redelivery (same type, subject id, status and evaluation ids), which changes nothing.</li>
 * </ul>
 * Counted in {@code calleval.webhook.events} (tags {@code type}: the four documented types, else {@code other};
 * {@code result}: {@code stored} or {@code duplicate}), {@code calleval.webhook.refused} (tag {@code reason}:
 * {@code signature}, {@code no-secret} or {@code malformed}) and {@code calleval.webhook.previous-secret} (accepted with the
 * previous secret: the rotation is not over).
 */
@RestController
class WebhookController {
    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final WebhookInbox inbox;
    private final WebhookSettings settings;
    private final MeterRegistry registry;

    WebhookController(WebhookInbox inbox, WebhookSettings settings, MeterRegistry registry) {
        this.inbox = inbox;
        this.settings = settings;
        this.registry = registry;
    }

    /** Counts an event; any type this version does not know is counted as {@code other}, so senders cannot add series. */
    private void count(String type, boolean stored) {
        Counter.builder("calleval.webhook.events").description("webhook events received and answered 200")
                .tag("type", WebhookEvent.KNOWN_TYPES.contains(type) ? type : "other").tag("result", stored ? "stored" : "duplicate")
                .register(registry).increment();
    }

    private void refused(String reason) {
        Counter.builder("calleval.webhook.refused").description("webhook deliveries refused (401 bad signature, 400 malformed)")
                .tag("reason", reason).register(registry).increment();
    }

    @PostMapping(path = "/webhooks/bluejay", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> receive(HttpServletRequest request,
            @RequestHeader(name = "X-Bluejay-Signature", required = false) @Nullable String signature,
            @RequestHeader(name = "X-Bluejay-Event", required = false) @Nullable String eventHeader,
            @RequestHeader(name = "X-Bluejay-Delivery", required = false) @Nullable String delivery) throws IOException {
        long max = settings.maxBodyBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            return tooLarge(declared + " bytes (Content-Length)", max, delivery);
        }
        byte[] raw;
        try (InputStream in = request.getInputStream()) {
            raw = in.readNBytes((int) max + 1); // never more than the limit and one byte, whatever the sender streams
        }
        if (raw.length > max) {
            return tooLarge("more than " + max + " bytes (chunked)", max, delivery);
        }
        SignatureVerifier verifier = settings.verifier();
        if (verifier == null && !settings.allowUnsigned()) {
            log.warn("webhook refused: no signing secret configured (BLUEJAY_WEBHOOK_SECRET) (delivery {})", delivery);
            refused("no-secret");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "the receiver has no signing secret configured"));
        }
        SignatureVerifier.Match match = verifier == null ? null : verifier.check(raw, signature);
        if (match == SignatureVerifier.Match.NONE) {
            log.warn("webhook refused: {} (delivery {})", signature == null ? "no X-Bluejay-Signature header" : "signature does not match the body", delivery);
            refused("signature");
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid or missing X-Bluejay-Signature"));
        }
        if (match == SignatureVerifier.Match.PREVIOUS) {
            Counter.builder("calleval.webhook.previous-secret").description("webhooks accepted that were signed with the previous secret "
                    + "(BLUEJAY_WEBHOOK_SECRET_PREVIOUS): remove it once this stops growing").register(registry).increment();
            log.debug("webhook signed with the previous secret (delivery {})", delivery);
        }
        JsonNode event;
        try {
            event = BluejayJson.mapper().readTree(raw);
        } catch (JacksonException e) {
            refused("malformed");
            return ResponseEntity.badRequest().body(Map.of("error", "body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (event == null || !event.isObject()) {
            refused("malformed");
            return ResponseEntity.badRequest().body(Map.of("error", "body must be a JSON object"));
        }
        String type = text(event, "type");
        if (type == null) {
            type = eventHeader != null ? eventHeader : "unknown";
        }
        String status = text(event, "status");
        String subject = subjectId(type, event);
        String sourceId = event.path("metadata").path("calleval_source_id").isValueNode()
                ? event.path("metadata").path("calleval_source_id").asString() : null;
        boolean stored = inbox.store(dedupeKey(type, subject, status, event, raw), type, delivery, subject,
                WebhookEvent.CALL_EVALUATED.equals(type) ? subject : null, sourceId, status, raw);
        count(type, stored);
        log.debug("webhook {} {} id={} status={}", stored ? "stored" : "duplicate", type, subject, status);
        return ResponseEntity.ok(Map.of("status", stored ? "stored" : "duplicate"));
    }

    /**
     * 413 with {@code Connection: close}: Tomcat then discards at most {@code server.tomcat.max-swallow-size} (2 MB) more
     * of the body, so that the sender can read the answer, and closes the connection. The answer carries its length,
     * so a sender still writing reads it whole.
     */
    private static ResponseEntity<byte[]> tooLarge(String size, long max, @Nullable String delivery) {
        log.warn("webhook refused: body of {} is over calleval.webhook.max-body-size ({} bytes) (delivery {})", size, max, delivery);
        byte[] answer = BluejayJson.mapper().writeValueAsBytes(Map.of("error", "body larger than " + max + " bytes (calleval.webhook.max-body-size)"));
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .contentType(MediaType.APPLICATION_JSON).contentLength(answer.length).body(answer);
    }

    /**
     * Type, id, status and the evaluation ids identify an event across redeliveries ({@code X-Bluejay-Delivery}
     * differs per attempt, §3.1); without an id, the body's SHA-256 does.
     */
    static String dedupeKey(String type, @Nullable String id, @Nullable String status, JsonNode event, byte[] raw) {
        if (id == null) {
            return type + ":sha256:" + sha256(raw);
        }
        List<String> evaluationIds = new ArrayList<>();
        event.path("evaluations").forEach(e -> evaluationIds.add(e.path("id").asString("")));
        evaluationIds.sort(null);
        String key = type + ":" + id + ":" + (status == null ? "" : status) + ":" + String.join(",", evaluationIds);
        return key.length() <= 400 ? key : type + ":" + id + ":sha256:" + sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What the event is about: {@code id} (call id or simulation result id), or for
     * {@code outbound_simulation_started}, which has none, {@code simulation_run_id}.
     */
    static @Nullable String subjectId(String type, JsonNode event) {
        String id = text(event, "id");
        return id == null && WebhookEvent.OUTBOUND_SIMULATION_STARTED.equals(type) ? text(event, "simulation_run_id") : id;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
