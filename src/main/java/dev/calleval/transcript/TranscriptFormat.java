package dev.calleval.transcript;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The transcript formats calleval reads, by the id a job file or manifest names them with. */
public enum TranscriptFormat {
    /** Bluejay transcript entries (§1.3): {@code [{start_offset_ms, end_offset_ms, speaker, utterance, filler_utterance?}]}. */
    BLUEJAY("bluejay"),
    /** A JSON list of {@code {speaker, text, start, end}}, times in seconds. */
    PLAIN_JSON("plain-json"),
    /** AWS Transcribe batch output: {@code results.items} with speaker labels or channel identification. */
    AWS_TRANSCRIBE("aws-transcribe"),
    /** Transcribe Call Analytics / Contact Lens: {@code Transcript[]} with {@code BeginOffsetMillis} and {@code ParticipantRole}. */
    CONTACT_LENS("contact-lens"),
    /** Deepgram pre-recorded output: {@code results.utterances} or words by speaker / channel. */
    DEEPGRAM("deepgram"),
    /** AssemblyAI transcript: {@code utterances} with integer ms and speaker letters. */
    ASSEMBLYAI("assemblyai"),
    /** WebVTT with voice spans {@code <v Name>}. */
    WEBVTT("webvtt"),
    /** SubRip (SRT) with {@code Speaker:} prefixes. */
    SRT("srt"),
    /** Vapi end-of-call report or call artifact: messages with roles, {@code secondsFromStart}, tool calls and results. */
    VAPI("vapi"),
    /** Retell call object: {@code transcript_object}, {@code transcript_with_tool_calls}, epoch-ms call times. */
    RETELL("retell");

    private final String id;

    TranscriptFormat(String id) {
        this.id = id;
    }

    /** The id used in job files and manifests, e.g. {@code aws-transcribe}. */
    public String id() {
        return id;
    }

    /**
     * The format with this id (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known ids
     */
    public static TranscriptFormat of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown transcript format '" + id + "'; known: "
                        + Arrays.stream(values()).map(TranscriptFormat::id).collect(Collectors.joining(", "))));
    }
}
