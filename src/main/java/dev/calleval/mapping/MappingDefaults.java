package dev.calleval.mapping;

import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.redaction.RedactionPolicy;
import java.util.List;
import java.util.Map;
import dev.calleval.transcript.SpeakerMapping;
import dev.calleval.transcript.TranscriptFormat;
import org.jspecify.annotations.Nullable;

/**
 * Values a job applies to every call unless the row sets its own (the {@code defaults:} section of a job file).
 * Tags, custom metric ids and tags, and metadata are added to the row's own.
 *
 * @param jobName sent as {@code metadata.calleval_job}
 * @param maxRecordingBytes largest local recording sent inline as {@code recording_base64}
 * @param transcriptFormat the format of local transcript files; null to detect it per file (a row's
 *     {@code transcript_format} column overrides both)
 * @param speakers how transcript speakers become AGENT or USER, and the filler words
 * @param redaction the personal data removed from every accepted request (the job's {@code redaction:}); null: none
 */
public record MappingDefaults(
        String jobName,
        @Nullable String agentId,
        @Nullable String externalAgentId,
        List<String> tags,
        List<String> customMetrics,
        List<String> customMetricTags,
        @Nullable String label,
        @Nullable CallDirection callDirection,
        @Nullable CallInterface callInterface,
        @Nullable Boolean multichannel,
        Map<String, String> metadata,
        long maxRecordingBytes,
        @Nullable TranscriptFormat transcriptFormat,
        SpeakerMapping speakers,
        @Nullable RedactionPolicy redaction) {

    public MappingDefaults {
        tags = List.copyOf(tags);
        customMetrics = List.copyOf(customMetrics);
        customMetricTags = List.copyOf(customMetricTags);
        metadata = Map.copyOf(metadata);
        if (agentId != null && externalAgentId != null) {
            throw new IllegalArgumentException("defaults: set agent-id or external-agent-id, not both");
        }
        if (maxRecordingBytes <= 0) {
            throw new IllegalArgumentException("max-recording-bytes must be positive, got " + maxRecordingBytes);
        }
    }

    /** Defaults without redaction. */
    public MappingDefaults(String jobName, @Nullable String agentId, @Nullable String externalAgentId, List<String> tags, List<String> customMetrics,
            List<String> customMetricTags, @Nullable String label, @Nullable CallDirection callDirection, @Nullable CallInterface callInterface,
            @Nullable Boolean multichannel, Map<String, String> metadata, long maxRecordingBytes, @Nullable TranscriptFormat transcriptFormat,
            SpeakerMapping speakers) {
        this(jobName, agentId, externalAgentId, tags, customMetrics, customMetricTags, label, callDirection, callInterface, multichannel, metadata,
                maxRecordingBytes, transcriptFormat, speakers, null);
    }

    /** These defaults with {@code redaction} applied to every accepted request. */
    public MappingDefaults withRedaction(@Nullable RedactionPolicy redaction) {
        return new MappingDefaults(jobName, agentId, externalAgentId, tags, customMetrics, customMetricTags, label, callDirection, callInterface,
                multichannel, metadata, maxRecordingBytes, transcriptFormat, speakers, redaction);
    }

    /** Whether the recording is left out of the request (redaction on, {@code recording: omit}). */
    boolean omitsRecording() {
        return redaction != null && !redaction.keepRecording();
    }

    /** Defaults for tests and ad-hoc use: no agent, 50 MiB recordings. */
    public static MappingDefaults of(String jobName) {
        return new MappingDefaults(jobName, null, null, List.of(), List.of(), List.of(), null, null, null, null, Map.of(), 50L << 20, null,
                SpeakerMapping.defaults());
    }
}
