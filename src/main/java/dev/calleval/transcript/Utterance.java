package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import org.jspecify.annotations.Nullable;

/**
 * One utterance as a provider's file gives it, with times already in integer milliseconds from call start.
 *
 * @param where the entry in the file, for messages, e.g. {@code results.utterances[4]} or {@code cue 12 (line 40)}
 * @param speaker the provider's speaker label ({@code spk_0}, {@code A}, {@code Agent}), or null
 * @param channel the audio channel, when the provider identifies channels
 * @param role the role, when the format itself says it (Contact Lens, Vapi, Retell, Bluejay); null otherwise
 * @param filler true/false when the format marks fillers; null to let the converter decide by word list
 */
public record Utterance(String where, @Nullable String speaker, @Nullable Integer channel, @Nullable ParticipantRole role,
        long startMs, long endMs, String text, @Nullable Boolean filler) {}
