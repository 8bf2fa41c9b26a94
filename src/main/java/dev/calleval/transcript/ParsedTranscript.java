package dev.calleval.transcript;

import dev.calleval.bluejay.ToolCall;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a parser read from a file: utterances in file order, tool calls (Vapi, Retell) with offsets in ms from call
 * start, and the call's duration in ms when the file states it.
 */
public record ParsedTranscript(TranscriptFormat format, List<Utterance> utterances, List<ToolCall> toolCalls, @Nullable Long durationMs) {
    public ParsedTranscript {
        utterances = List.copyOf(utterances);
        toolCalls = List.copyOf(toolCalls);
    }
}
