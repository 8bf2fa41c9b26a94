package dev.calleval.transcript;

import java.util.List;

/**
 * Every parser, in the order detection tries them: the most specific shapes first, so that no parser claims another
 * format's files. Add a new format's parser here.
 */
public final class TranscriptParsers {
    private TranscriptParsers() {}

    /** The parsers in detection order. */
    public static List<TranscriptParser> all() {
        return List.of(
                new BluejayTranscriptParser(),
                new WebVttParser(), // text, first line WEBVTT: never JSON, never SRT
                new SrtParser(), // text, first non-blank line a cue number then a timing line: never JSON
                new AwsTranscribeParser(), // an object with results.transcripts and results.items
                new ContactLensParser(), // an object with Transcript[] of {BeginOffsetMillis, Content}
                new VapiParser(), // objects whose messages carry secondsFromStart
                new RetellParser(), // objects (or {call: ...}) with transcript_object / transcript_with_tool_calls
                new DeepgramParser(), // an object with metadata and results.channels[].alternatives or results.utterances
                new AssemblyAiParser(), // an object with id, status, audio_url and utterances or words
                new PlainJsonParser());
    }
}
