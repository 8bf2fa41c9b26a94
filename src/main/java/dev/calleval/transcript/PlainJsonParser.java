package dev.calleval.transcript;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A plain JSON list of {@code {"speaker": "...", "text": "...", "start": 1.25, "end": 3.5}}: times in seconds from call
 * start (numbers or numeric strings), speaker any label (mapped by the job's {@code transcript.speakers}).
 */
final class PlainJsonParser implements TranscriptParser {
    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.PLAIN_JSON;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        JsonNode json = input.json();
        if (json == null || !json.isArray() || json.isEmpty()) {
            return false;
        }
        JsonNode first = json.get(0);
        return first.isObject() && first.has("text") && first.has("start") && first.has("end") && first.has("speaker")
                && !first.has("start_offset_ms");
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        JsonNode json = input.json();
        if (json == null || !json.isArray()) {
            throw new TranscriptException("transcript", input.shownAs() + " is not a JSON list of {speaker, text, start, end}");
        }
        List<Utterance> out = new ArrayList<>(json.size());
        int index = 0;
        for (JsonNode entry : json) {
            String where = "transcript[" + index + "]";
            JsonFields.object(entry, where);
            out.add(new Utterance(where, JsonFields.requiredString(entry, "speaker", where), null, null,
                    Times.secondsField(entry, "start", where, input.shownAs()), Times.secondsField(entry, "end", where, input.shownAs()),
                    JsonFields.requiredString(entry, "text", where), null));
            index++;
        }
        return new ParsedTranscript(format(), out, List.of(), null);
    }
}
