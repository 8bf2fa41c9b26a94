package dev.calleval.bluejay;

/** Side of a call: the enum of {@code Participant.role} and {@code TranscriptEntryRequest.speaker} (§1.2, §1.3). */
public enum ParticipantRole {
    AGENT,
    USER
}
