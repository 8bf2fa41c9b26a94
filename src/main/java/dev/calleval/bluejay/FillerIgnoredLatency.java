package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/**
 * Agent response latencies of one evaluation with filler utterances ("um", "let me check") skipped
 * ({@code FillerIgnoredLatency}, §2.3), as Bluejay reports them (seconds).
 */
public record FillerIgnoredLatency(
        @Nullable Double avgFillerIgnoredLatency,
        @Nullable Double p50FillerIgnoredLatency,
        @Nullable Double p90FillerIgnoredLatency,
        @Nullable Double p95FillerIgnoredLatency,
        @Nullable Double p99FillerIgnoredLatency) {}
