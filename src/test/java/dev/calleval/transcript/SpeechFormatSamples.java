package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sample files and expectations shared by the provider-format parser tests. */
final class SpeechFormatSamples {
    static final Path SAMPLES = Path.of("sample-data").toAbsolutePath();
    static final Path FORMATS = SAMPLES.resolve("transcripts/formats");
    /** A plain mapper, independent of the parsers, to read the expected Bluejay transcripts. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpeechFormatSamples() {}

    /** The call's Bluejay transcript (§1.3), as the sample dataset has it. */
    static List<TranscriptEntry> bluejayTranscript(String callId) {
        List<TranscriptEntry> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(SAMPLES.resolve("transcripts/" + callId + ".json").toFile())) {
            out.add(new TranscriptEntry(e.get("start_offset_ms").asLong(), e.get("end_offset_ms").asLong(),
                    ParticipantRole.valueOf(e.get("speaker").asString()), e.get("utterance").asString(),
                    e.has("filler_utterance") ? e.get("filler_utterance").asBoolean() : null));
        }
        return out;
    }

    /** The same entries with the filler flag set as the converter decides it when a format has none. */
    static List<TranscriptEntry> withFiller(List<TranscriptEntry> entries, SpeakerMapping speakers) {
        return entries.stream().map(e -> new TranscriptEntry(e.startOffsetMs(), e.endOffsetMs(), e.speaker(), e.utterance(),
                e.speaker() == ParticipantRole.AGENT && speakers.isFiller(e.utterance()) ? Boolean.TRUE : null)).toList();
    }

    /** Every sample file that could be a transcript: all of sample-data except audio. */
    static List<Path> allSampleFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SAMPLES)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".wav")).sorted().toList();
        }
    }

    /** The file read as a transcript input, or null when it is not readable as one (not UTF-8, bad JSON, CSV quirks). */
    static TranscriptInput readOrNull(Path file) {
        try {
            return TranscriptInput.read(file, SAMPLES.relativize(file).toString());
        } catch (TranscriptException e) {
            return null;
        }
    }

    static TranscriptInput inline(String json) throws TranscriptException {
        return TranscriptInput.of(Path.of("inline.json"), "inline.json", json.getBytes(StandardCharsets.UTF_8));
    }
}
