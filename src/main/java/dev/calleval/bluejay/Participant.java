package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/**
 * One party of a call ({@code Participant}, §1.2). {@code spokeFirst} is sent only to override Bluejay's own
 * detection; {@code phoneNumber} has no enforced format.
 */
public record Participant(
        ParticipantRole role, @Nullable Boolean spokeFirst, @Nullable String name, @Nullable String phoneNumber) {

    public Participant {
        if (role == null) {
            throw new IllegalArgumentException("participant role is required (AGENT or USER)");
        }
    }
}
