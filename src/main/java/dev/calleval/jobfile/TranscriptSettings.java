package dev.calleval.jobfile;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.transcript.SpeakerMapping;
import dev.calleval.transcript.TranscriptFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How local transcript files are read (the {@code transcript:} section).
 *
 * @param format a format id ({@code aws-transcribe}, {@code deepgram}, ...; see docs/transcripts.md), or {@code auto} to detect
 *     it per file from the content; a row's {@code transcript_format} column overrides it
 * @param speakers how provider speakers become AGENT or USER
 * @param fillerWords an agent utterance made only of these words or phrases is marked {@code filler_utterance}
 */
public record TranscriptSettings(@DefaultValue("auto") String format, @DefaultValue Speakers speakers,
        @DefaultValue({"um", "uh", "uhm", "erm", "hmm", "mm", "mhm", "ah", "oh", "okay", "ok", "so", "well", "right", "yeah",
                "one moment", "let me check", "just a moment", "let me see"}) List<String> fillerWords) {
    public TranscriptSettings {
        if (!"auto".equalsIgnoreCase(format)) {
            TranscriptFormat.of(format); // fails naming the known ids
        }
    }

    /** The named format, or null for {@code auto}. */
    public @Nullable TranscriptFormat formatOrDetect() {
        return "auto".equalsIgnoreCase(format) ? null : TranscriptFormat.of(format);
    }

    /** The speaker mapping and filler words as the converter takes them. */
    public SpeakerMapping speakerMapping() {
        return new SpeakerMapping(speakers.strategy(), speakers.labels(), speakers.channels(), speakers.firstSpeaker(), fillerWords,
                speakers.unlabelled());
    }

    /**
     * {@code transcript.speakers}: {@code strategy} {@code auto} (default), {@code label}, {@code channel} or
     * {@code first-speaker}; {@code labels} provider label → AGENT/USER; {@code channels} channel number → AGENT/USER;
     * {@code first-speaker} the role of whoever speaks first (default AGENT).
     *
     * @param unlabelled {@code transcript.speakers.unlabelled}: AGENT or USER, the role of every utterance the file says
     *     nobody spoke (no speaker label, no channel, no role: AWS Transcribe without speaker or channel
     *     identification, Deepgram without diarize, AssemblyAI without speaker_labels, captions without names); unset
     *     (default), a transcript that does not say who spoke is refused, in every format (see docs/transcripts.md)
     */
    public record Speakers(@DefaultValue("auto") SpeakerMapping.Strategy strategy, @DefaultValue Map<String, ParticipantRole> labels,
            @DefaultValue Map<Integer, ParticipantRole> channels, @DefaultValue("AGENT") ParticipantRole firstSpeaker,
            @Nullable ParticipantRole unlabelled) {}
}
