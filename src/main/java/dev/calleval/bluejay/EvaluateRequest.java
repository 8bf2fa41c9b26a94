package dev.calleval.bluejay;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/evaluate} (§1.1). Exactly one of {@code agentId} (variant
 * {@code CallRequestUsingAgentId}) and {@code externalAgentId} (variant {@code CallRequestUsingExternalAgentId})
 * is set. {@code startTimeUtc} is the call start in UTC. Recording: at most one of {@code recordingUrl} (at most
 * 2083 characters) and {@code recordingBase64} (a data URL, streamed from disk when the body is written).
 *
 * <p>Only the structural invariants that make the body impossible to send are checked here; everything the API
 * itself validates (two participants, URL lengths, UUIDs, offsets) is checked by the mapping's validator so a
 * bad row becomes a rejection naming its file, line and field.
 */
public record EvaluateRequest(
        @Nullable String agentId,
        @Nullable String externalAgentId,
        Instant startTimeUtc,
        List<Participant> participants,
        @Nullable String recordingUrl,
        @Nullable RecordingData recordingBase64,
        @Nullable CallDirection callDirection,
        @JsonProperty("interface") @Nullable CallInterface callInterface,
        @Nullable String transcriptUrl,
        @Nullable List<TranscriptEntry> transcript,
        @Nullable List<ToolCall> toolCalls,
        @Nullable List<Event> events,
        @Nullable List<String> tags,
        @Nullable String traceId,
        @Nullable Instant createdAt,
        @Nullable Map<String, Object> metadata,
        @Nullable String webhookTag,
        @Nullable List<String> customMetrics,
        @Nullable List<String> customMetricTags,
        @Nullable String label,
        @Nullable Boolean enablePhraseLatencies,
        @Nullable ParticipantRole conversationEndedBy,
        @Nullable Boolean multichannel) {

    public EvaluateRequest {
        if ((agentId == null) == (externalAgentId == null)) {
            throw new IllegalArgumentException("exactly one of agent_id and external_agent_id is required");
        }
        if (startTimeUtc == null) {
            throw new IllegalArgumentException("start_time_utc is required");
        }
        participants = List.copyOf(participants);
    }

    /** This request with another {@code recording_url} (and no {@code recording_base64}). */
    public EvaluateRequest withRecordingUrl(@Nullable String url) {
        return new EvaluateRequest(agentId, externalAgentId, startTimeUtc, participants, url, null, callDirection, callInterface,
                transcriptUrl, transcript, toolCalls, events, tags, traceId, createdAt, metadata, webhookTag, customMetrics,
                customMetricTags, label, enablePhraseLatencies, conversationEndedBy, multichannel);
    }

    /**
     * The key the ledger deduplicates by: the agent this call is evaluated for ({@code agent_id}, or
     * {@code external_agent_id} prefixed with {@code ext:}).
     */
    public String agentKey() {
        return agentId != null ? agentId : "ext:" + externalAgentId;
    }
}
