package dev.calleval.transcript;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * <p>A transcript made without {@code speaker_labels} has {@code utterances: null} and only {@code words[]} (same
 * fields): consecutive words become one utterance while the speaker and channel stay the same and the silence between
 * two words is under {@value #PAUSE_SPLIT_MS} ms. Such utterances, like an utterance without speaker, say nobody spoke
 * them: the converter refuses the transcript ({@link TranscriptConverter#NOBODY_SAID_WHO_SPOKE}) unless the job names
 * their role.
 *
 * <p>{@code audio_duration} (seconds) is the call's duration. Rejected: a {@code status} other than
 * {@code completed}; neither {@code utterances} nor {@code words}; fractional or non-numeric ms. Errors name the entry,
 * e.g. {@code transcript.utterances[2].end}, and the file. Stateless and thread-safe.
 */
final class AssemblyAiParser implements TranscriptParser {
    /** Words further apart than this (ms) start a new utterance, when there are words but no utterances. */
    static final long PAUSE_SPLIT_MS = 800;

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
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        String shownAs = input.shownAs();
        JsonNode root = SpeechJson.object(SpeechJson.exactTree(input), "transcript", shownAs);
        JsonNode status = root.get("status");
        if (status != null && status.isString() && !status.asString().equals("completed")) {
            JsonNode error = root.get("error");
            throw new TranscriptException("transcript.status", shownAs + ": the AssemblyAI transcript's status is '" + status.asString()
                    + "', not 'completed'" + (error != null && error.isString() ? " (error: " + error.asString() + ")" : ""));
        }
        BigDecimal seconds = Times.decimal(root.get("audio_duration"));
        Long durationMs = seconds == null ? null : Times.secondsToMs(seconds);
        JsonNode utterances = root.get("utterances");
        List<Utterance> out;
        if (utterances == null || utterances.isNull()) {
            JsonNode words = root.get("words");
            if (words == null || words.isNull()) {
                throw new TranscriptException("transcript.utterances", shownAs + " has neither utterances nor words: no text to read");
            }
            out = fromWords(SpeechJson.array(words, "words", shownAs), shownAs);
        } else {
            SpeechJson.array(utterances, "utterances", shownAs);
            out = new ArrayList<>(utterances.size());
            for (int i = 0; i < utterances.size(); i++) {
                out.add(said(utterances.get(i), "utterances[" + i + "]", shownAs).utterance());
            }
        }
        return new ParsedTranscript(format(), out, List.of(), durationMs);
    }

    /** An utterance, or a word, as the file gives it. */
    private record Said(String where, @Nullable String speaker, @Nullable Integer channel, long startMs, long endMs, String text) {
        Utterance utterance() {
            if (channel != null) {
                boolean channelOnly = speaker == null || speaker.equals(Integer.toString(channel));
                return new Utterance(where, channelOnly ? null : speaker, channel - 1, null, startMs, endMs, text, null);
            }
            return new Utterance(where, speaker, null, null, startMs, endMs, text, null);
        }
    }

    private static Said said(JsonNode node, String where, String shownAs) throws TranscriptException {
        JsonNode u = SpeechJson.object(node, where, shownAs);
        return new Said(where, speaker(u, where, shownAs), SpeechJson.optionalNumber(u, "channel", 1, true, where, shownAs),
                Times.msField(u, "start", where, shownAs), Times.msField(u, "end", where, shownAs), SpeechJson.text(u, "text", where, shownAs));
    }

    /** Words grouped into utterances; {@code where} names the range, e.g. {@code words[4..9]}. */
    private static List<Utterance> fromWords(JsonNode words, String shownAs) throws TranscriptException {
        List<Said> said = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            said.add(said(words.get(i), "words[" + i + "]", shownAs));
        }
        List<Utterance> out = new ArrayList<>();
        int first = 0;
        for (List<Said> group : Turns.of(said, (previous, word) -> Objects.equals(word.speaker(), previous.speaker())
                && Objects.equals(word.channel(), previous.channel()) && word.startMs() - previous.endMs() < PAUSE_SPLIT_MS)) {
            Said start = group.get(0);
            StringBuilder text = new StringBuilder();
            long end = start.endMs();
            for (Said word : group) {
                text.append(text.isEmpty() ? "" : " ").append(word.text());
                end = Math.max(end, word.endMs());
            }
            String where = group.size() == 1 ? start.where() : "words[" + first + ".." + (first + group.size() - 1) + "]";
            out.add(new Said(where, start.speaker(), start.channel(), start.startMs(), end, text.toString()).utterance());
            first += group.size();
        }
        return out;
    }

    /** The speaker label: a string ({@code "A"}) or, as some exports write it, a number; null when absent. */
    private static @Nullable String speaker(JsonNode u, String where, String shownAs) throws TranscriptException {
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
        throw new TranscriptException(TranscriptParser.field(where) + ".speaker", where + ".speaker is " + Times.describe(value)
                + ", expected a speaker label such as \"A\", in " + shownAs);
    }
}
