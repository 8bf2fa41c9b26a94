package dev.calleval.bluejay;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A tool or function call the agent made ({@code ToolCall}, §1.4). {@code startOffsetMs} is milliseconds from
 * the start of the conversation (minimum 0); {@code parameters} are the input arguments; {@code output} is any
 * JSON value the tool returned (a {@code Map}, {@code List}, string, number, boolean).
 */
public record ToolCall(
        String name,
        long startOffsetMs,
        @Nullable String description,
        @Nullable Map<String, Object> parameters,
        @Nullable Object output) {}
