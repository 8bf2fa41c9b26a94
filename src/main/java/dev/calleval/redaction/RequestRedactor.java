package dev.calleval.redaction;

import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Redacts a {@code POST /v1/evaluate} body (§1 of the API reference) by a {@link RedactionPolicy}, before it leaves:
 * <ul>
 *   <li>{@code transcript[].utterance} (§1.3);</li>
 *   <li>{@code tool_calls[]}: {@code description}, and every string (and number) in {@code parameters} and
 *       {@code output}, at any depth (§1.4);</li>
 *   <li>{@code events[]}: {@code title}, {@code description} and every value in {@code metadata} (§1.5);</li>
 *   <li>{@code metadata}: every value at any depth, keys kept, except the keys the caller keeps (calleval's own
 *       correlation keys);</li>
 *   <li>{@code participants[]} (§1.2): with {@code participant-names} the {@code name} as a whole, and every
 *       participant's name found in all the texts above; with {@code phone} the {@code phone_number} as a whole;</li>
 *   <li>the recording ({@code recording_url}, {@code recording_base64}) removed unless the policy keeps it.</li>
 * </ul>
 * Other fields (ids, times, tags, labels, {@code trace_id}) are sent as they are. A number in JSON is looked at as its
 * digits, and replaced by a string when it is redacted. Thread-safe.
 */
public final class RequestRedactor {
    private final Redactor redactor;
    private final Set<String> keptMetadataKeys;

    /**
     * @param keptMetadataKeys top-level metadata keys sent as they are (calleval's {@code calleval_source_id}, ...)
     */
    public RequestRedactor(RedactionPolicy policy, Set<String> keptMetadataKeys) {
        this.redactor = new Redactor(policy);
        this.keptMetadataKeys = Set.copyOf(keptMetadataKeys);
    }

    /** The policy applied. */
    public RedactionPolicy policy() {
        return redactor.policy();
    }

    /**
     * A request after redaction.
     *
     * @param request the request as it may leave
     * @param counts values replaced per type id
     */
    public record Redacted(EvaluateRequest request, RedactionCounts counts) {}

    /** Redacts {@code request}; see the class comment for what is looked at. */
    public Redacted redact(EvaluateRequest request) {
        Call call = new Call(Redactor.namePattern(request.participants().stream().map(Participant::name)
                .filter(n -> n != null && !n.isBlank()).toList()));
        List<Participant> participants = request.participants().stream().map(call::participant).toList();
        List<TranscriptEntry> transcript = request.transcript() == null ? null : request.transcript().stream()
                .map(e -> new TranscriptEntry(e.startOffsetMs(), e.endOffsetMs(), e.speaker(), call.text(e.utterance()), e.fillerUtterance()))
                .toList();
        List<ToolCall> toolCalls = request.toolCalls() == null ? null : request.toolCalls().stream()
                .map(t -> new ToolCall(t.name(), t.startOffsetMs(), call.nullableText(t.description()), call.map(t.parameters()),
                        call.value(t.output())))
                .toList();
        List<Event> events = request.events() == null ? null : request.events().stream()
                .map(e -> new Event(call.text(e.title()), e.startOffsetMs(), call.nullableText(e.description()), e.endOffsetMs(), e.tags(),
                        call.map(e.metadata())))
                .toList();
        Map<String, Object> metadata = null;
        if (request.metadata() != null) {
            metadata = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
                metadata.put(entry.getKey(), keptMetadataKeys.contains(entry.getKey()) ? entry.getValue() : call.value(entry.getValue()));
            }
        }
        boolean keepRecording = redactor.policy().keepRecording();
        EvaluateRequest redacted = new EvaluateRequest(request.agentId(), request.externalAgentId(), request.startTimeUtc(), participants,
                keepRecording ? request.recordingUrl() : null, keepRecording ? request.recordingBase64() : null, request.callDirection(),
                request.callInterface(), request.transcriptUrl(), transcript, toolCalls, events, request.tags(), request.traceId(),
                request.createdAt(), metadata, request.webhookTag(), request.customMetrics(), request.customMetricTags(), request.label(),
                request.enablePhraseLatencies(), request.conversationEndedBy(), request.multichannel());
        return new Redacted(redacted, call.counts);
    }

    /** The redaction of one call: its participants' names, and what was replaced so far. */
    private final class Call {
        private final Pattern names;
        private RedactionCounts counts = RedactionCounts.NONE;

        Call(Pattern names) {
            this.names = names;
        }

        Participant participant(Participant p) {
            String name = p.name();
            if (name != null && !name.isBlank() && redactor.policy().redacts(RedactionType.PARTICIPANT_NAMES)) {
                name = redactor.replaceWhole(name, RedactionType.PARTICIPANT_NAMES);
                count(RedactionType.PARTICIPANT_NAMES);
            }
            String phone = p.phoneNumber();
            if (phone != null && !phone.isBlank() && redactor.policy().redacts(RedactionType.PHONE)) {
                phone = redactor.replaceWhole(phone, RedactionType.PHONE);
                count(RedactionType.PHONE);
            }
            return new Participant(p.role(), p.spokeFirst(), name, phone);
        }

        private void count(RedactionType type) {
            counts = counts.plus(new RedactionCounts(Map.of(type.id(), 1)));
        }

        String text(String text) {
            Redactor.Result result = redactor.redact(text, names);
            counts = counts.plus(result.counts());
            return result.text();
        }

        @Nullable String nullableText(@Nullable String text) {
            return text == null ? null : text(text);
        }

        @Nullable Map<String, Object> map(@Nullable Map<String, Object> map) {
            if (map == null) {
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, value(v)));
            return out;
        }

        /** A JSON value with its strings (and numbers) redacted, at any depth. */
        @SuppressWarnings("unchecked")
        @Nullable Object value(@Nullable Object value) {
            if (value instanceof String s) {
                return text(s);
            }
            if (value instanceof Map<?, ?> m) {
                return map((Map<String, Object>) m);
            }
            if (value instanceof List<?> list) {
                List<Object> out = new ArrayList<>(list.size());
                for (Object item : list) {
                    out.add(value(item));
                }
                return out;
            }
            if (value instanceof Long || value instanceof Integer || value instanceof BigInteger || value instanceof BigDecimal) {
                String digits = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
                Redactor.Result result = redactor.redact(digits, names);
                if (!result.counts().counts().isEmpty()) {
                    counts = counts.plus(result.counts());
                    return result.text();
                }
            }
            return value;
        }
    }
}
