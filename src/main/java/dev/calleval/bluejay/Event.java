package dev.calleval.bluejay;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A higher-level occurrence during a call, such as an escalation or a hold ({@code Event}, §1.5). Offsets are
 * milliseconds from call start.
 */
public record Event(
        String title,
        long startOffsetMs,
        @Nullable String description,
        @Nullable Long endOffsetMs,
        @Nullable List<String> tags,
        @Nullable Map<String, Object> metadata) {}
