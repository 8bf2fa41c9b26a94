package dev.calleval.transcript;

import dev.calleval.mapping.InputFileException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An AssemblyAI transcript ({@code GET /v2/transcript/{id}}): the envelope {@code {id, status, audio_url, text, words,
 * utterances, audio_duration, …}} of a job run with {@code speaker_labels=true} or {@code multichannel=true}.
 *
 * <p>Utterances come from {@code utterances[]}: {@code start}, {@code end} (integer ms from the start of the audio),
 * {@code text}, {@code speaker}, and {@code channel} with {@code multichannel=true}. Speaker letters ({@code A},
 * {@code B}) are kept as labels: map them with {@code transcript.speakers.labels}, or AUTO makes the first heard the
 * agent. On a multichannel transcript the channel decides instead: AssemblyAI numbers channels from 1, calleval from 0
 * (channel {@code "1"} is channel 0, the agent by default); a per-channel diarized speaker ({@code 1A}, {@code 1B}) is
 * kept as its label.
 *
 * <p>{@code audio_duration} (seconds) is the call's duration. Rejected: a {@code status} other than
 * {@code completed}; no {@code utterances} (a job without speaker labels has only words, with no one to attribute them
 * to); fractional or non-numeric ms; an utterance without speaker. Errors name the entry, e.g.
 * {@code transcript.utterances[2].end}, and the file. Stateless and thread-safe.
 */
final class AssemblyAiParser implements TranscriptParser {
    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.ASSEMBLYAI;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        JsonNode json = input.json();
        return json != null && json.isObject() && json.path("audio_url").isString() && json.path("status").isString() && json.has("id")
                && (json.has("utterances") || json.has("words"));
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws InputFileException {
        String shownAs = input.shownAs();
        JsonNode root = SpeechJson.object(SpeechJson.exactTree(input), "transcript", shownAs);
        JsonNode status = root.get("status");
        if (status != null && status.isString() && !status.asString().equals("completed")) {
            JsonNode error = root.get("error");
            throw new InputFileException("transcript.status", shownAs + ": the AssemblyAI transcript's status is '" + status.asString()
                    + "', not 'completed'" + (error != null && error.isString() ? " (error: " + error.asString() + ")" : ""));
        }
        JsonNode utterances = root.get("utterances");
        if (utterances == null || utterances.isNull()) {
            throw new InputFileException("transcript.utterances", "utterances is " + Times.describe(utterances) + " in " + shownAs
                    + ": the transcript was made without speaker_labels or multichannel, so nobody can tell who spoke");
        }
        SpeechJson.array(utterances, "utterances", shownAs);
        BigDecimal seconds = Times.decimal(root.get("audio_duration"));
        Long durationMs = seconds == null ? null : Times.secondsToMs(seconds);
        List<Utterance> out = new ArrayList<>(utterances.size());
        for (int i = 0; i < utterances.size(); i++) {
            String where = "utterances[" + i + "]";
            JsonNode u = SpeechJson.object(utterances.get(i), where, shownAs);
            long start = Times.msField(u, "start", where, shownAs);
            long end = Times.msField(u, "end", where, shownAs);
            String text = SpeechJson.text(u, "text", where, shownAs);
            Integer channel = SpeechJson.optionalNumber(u, "channel", 1, true, where, shownAs);
            String speaker = speaker(u, where, shownAs);
            if (channel != null) {
                boolean channelOnly = speaker == null || speaker.equals(Integer.toString(channel));
                out.add(new Utterance(where, channelOnly ? null : speaker, channel - 1, null, start, end, text, null));
            } else if (speaker == null) {
                throw new InputFileException(TranscriptParser.field(where) + ".speaker", where + ".speaker is "
                        + Times.describe(u.get("speaker")) + ", expected a speaker label such as \"A\", in " + shownAs);
            } else {
                out.add(new Utterance(where, speaker, null, null, start, end, text, null));
            }
        }
        return new ParsedTranscript(format(), out, List.of(), durationMs);
    }

    /** The speaker label: a string ({@code "A"}) or, as some exports write it, a number; null when absent. */
    private static @Nullable String speaker(JsonNode u, String where, String shownAs) throws InputFileException {
        JsonNode value = u.get("speaker");
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString() && !value.asString().isBlank()) {
            return value.asString().strip();
        }
        if (value.isIntegralNumber()) {
            return value.asString();
        }
        throw new InputFileException(TranscriptParser.field(where) + ".speaker", where + ".speaker is " + Times.describe(value)
                + ", expected a speaker label such as \"A\", in " + shownAs);
    }
}
