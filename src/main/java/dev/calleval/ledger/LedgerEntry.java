package dev.calleval.ledger;

import dev.calleval.bluejay.BluejayEndpoint;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One ledger row as read back: identity, state and where it came from.
 *
 * @param endpoint the Bluejay endpoint the call is sent to; part of the call's identity with agent and source id
 */
public record LedgerEntry(
        long id,
        BluejayEndpoint endpoint,
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
