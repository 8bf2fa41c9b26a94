package dev.calleval.ledger;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One ledger row as read back: identity, state and where it came from. */
public record LedgerEntry(
        long id,
        String agentKey,
        String sourceId,
        LedgerState state,
        @Nullable String callId,
        @Nullable String fingerprint,
        int attempts,
        boolean inDoubt,
        @Nullable String lastError,
        @Nullable String sourceRef,
        @Nullable Long jobExecutionId,
        @Nullable Instant submittedAt,
        @Nullable Instant updatedAt) {}
