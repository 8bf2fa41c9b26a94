package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/**
 * One utterance of an inline transcript ({@code TranscriptEntryRequest}, §1.3). Offsets are integer
 * milliseconds from the start of the call. {@code fillerUtterance} marks filler speech ("one moment") and feeds
 * Bluejay's {@code filler_ignored_latency} metrics. Range checks are done by the mapping's validator, not here,
 * so that a bad entry becomes a rejection naming the file and entry rather than an exception.
 */
public record TranscriptEntry(
        long startOffsetMs,
        long endOffsetMs,
        ParticipantRole speaker,
        String utterance,
        @Nullable Boolean fillerUtterance) {}
