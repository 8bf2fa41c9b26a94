package dev.calleval.mapping;

import dev.calleval.bluejay.TranscriptEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads a transcript file in Bluejay's transcript-entry JSON (§1.3): a JSON array of
 * {@code {start_offset_ms, end_offset_ms, speaker, utterance, filler_utterance?}}, or an object holding that
 * array under {@code transcript}. Offsets must be integer milliseconds from call start, {@code >= 0}, with
 * {@code end >= start}, and entries sorted by start.
 *
 * <p>Errors name the entry: {@code transcript[3].start_offset_ms: start_offset_ms is -120; ...}.
 */
public final class TranscriptReader {

    /**
     * @param file the transcript on disk
     * @param shownAs the path as written in the manifest, for messages
     * @throws InputFileException missing file, invalid JSON, or an invalid entry
     */
    public List<TranscriptEntry> read(Path file, String shownAs) throws InputFileException {
        JsonNode entries = JsonInput.arrayOrKey(JsonInput.read(file, "transcript", shownAs), "transcript", "transcript", shownAs);
        List<TranscriptEntry> out = new ArrayList<>(entries.size());
        long previousStart = -1;
        int index = 0;
        for (JsonNode entry : entries) {
            String field = "transcript[" + index + "]";
            JsonInput.object(entry, field);
            long start = JsonInput.offsetMs(entry, "start_offset_ms", field);
            long end = JsonInput.offsetMs(entry, "end_offset_ms", field);
            if (end < start) {
                throw new InputFileException(field + ".end_offset_ms", "end_offset_ms " + end + " is before start_offset_ms " + start + " in " + shownAs);
            }
            if (start < previousStart) {
                throw new InputFileException(field + ".start_offset_ms", "entries are not sorted by start: " + start + " ms comes after " + previousStart + " ms in " + shownAs);
            }
            previousStart = start;
            out.add(new TranscriptEntry(start, end, JsonInput.role(entry, "speaker", field),
                    JsonInput.requiredString(entry, "utterance", field), JsonInput.optionalBoolean(entry, "filler_utterance", field)));
            index++;
        }
        if (out.isEmpty()) {
            throw new InputFileException("transcript", shownAs + " holds no utterances");
        }
        return out;
    }
}
