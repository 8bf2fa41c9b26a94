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
                // provider formats (each helper adds its parser on its own line)
                new DeepgramParser(), // an object with metadata and results.channels[].alternatives or results.utterances
                new AssemblyAiParser(), // an object with id, status, audio_url and utterances or words
                new PlainJsonParser());
    }
}
