package dev.calleval.transcript;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Bluejay's own transcript-entry JSON (§1.3): an array of {@code {start_offset_ms, end_offset_ms, speaker, utterance,
 * filler_utterance?}}, or an object holding it under {@code transcript}. Offsets are integer ms; speakers are AGENT
 * or USER already. Errors name the entry: {@code transcript[3].start_offset_ms}.
 */
final class BluejayTranscriptParser implements TranscriptParser {
    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.BLUEJAY;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        JsonNode first = first(input.json());
        return first != null && first.has("start_offset_ms") && first.has("utterance");
    }

    private static @Nullable JsonNode first(@Nullable JsonNode json) {
        JsonNode entries = json == null ? null : json.isArray() ? json : json.path("transcript");
        return entries != null && entries.isArray() && !entries.isEmpty() ? entries.get(0) : null;
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        JsonNode root = input.json();
        if (root == null) {
            throw new TranscriptException("transcript", input.shownAs() + " is not JSON");
        }
        JsonNode entries = JsonFields.arrayOrKey(root, "transcript", "transcript", input.shownAs());
        List<Utterance> out = new ArrayList<>(entries.size());
        int index = 0;
        for (JsonNode entry : entries) {
            String field = "transcript[" + index + "]";
            JsonFields.object(entry, field);
            out.add(new Utterance(field, null, null, JsonFields.role(entry, "speaker", field), JsonFields.offsetMs(entry, "start_offset_ms", field),
                    JsonFields.offsetMs(entry, "end_offset_ms", field), JsonFields.requiredString(entry, "utterance", field),
                    JsonFields.optionalBoolean(entry, "filler_utterance", field)));
            index++;
        }
        return new ParsedTranscript(format(), out, List.of(), null);
    }
}
