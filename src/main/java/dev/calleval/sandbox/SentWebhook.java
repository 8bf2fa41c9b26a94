package dev.calleval.sandbox;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One webhook a {@link SandboxServer} produced, as listed by {@link SandboxServer#webhooks()} and
 * {@code GET /_sandbox/webhooks} (API reference §3). A duplicated webhook (fault injection) is listed once per
 * copy; a dropped one is listed with state {@link State#DROPPED}.
 *
 * @param seq production order, starting at 1
 * @param type the body's {@code type}, e.g. {@code simulation_ended}
 * @param id the body's {@code id} as text (the call id, or the simulation result id), or for
 *     {@code outbound_simulation_started}, which has no {@code id}, its {@code simulation_run_id}
 * @param producedAt when the sandbox produced it (UTC)
 * @param state where its delivery stands
 * @param attempts delivery attempts made so far (at most 3)
 * @param statusCode the HTTP status of the last attempt's answer, or {@code null} when no answer came (not tried
 *     yet, dropped, connection error or timeout)
 * @param body the exact body sent, as UTF-8 text, when {@link SandboxConfig#recordBodies()} is on, else
 *     {@code null}
 */
record SentWebhook(
        long seq,
        String type,
        String id,
        Instant producedAt,
        State state,
        int attempts,
        @Nullable Integer statusCode,
        @Nullable String body) {

    /** Checks that the required components are present. */
    SentWebhook {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(producedAt, "producedAt");
        Objects.requireNonNull(state, "state");
    }

    /** Delivery state of a webhook. */
    enum State {
        /** Waiting for its (first or next) attempt, or held for reordering. */
        PENDING,
        /** The receiver answered 2xx. */
        DELIVERED,
        /** Every attempt failed (non-2xx, timeout or connection error). */
        FAILED,
        /** Never sent (fault injection). */
        DROPPED
    }
}
