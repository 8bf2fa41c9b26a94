package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The sample calls and the AWS sample files, for the AWS parsers' tests. */
final class AwsFormatSamples {
    static final Path SAMPLES = Path.of("sample-data").toAbsolutePath();
    static final Path TRANSCRIPTS = SAMPLES.resolve("transcripts");
    static final Path FORMATS = TRANSCRIPTS.resolve("formats");
    /** A plain mapper, independent of the production code, to read expectations and build variants. */
    static final JsonMapper JSON = JsonMapper.builder().build();

    private AwsFormatSamples() {}

    /** A call's transcript as its Bluejay JSON states it. */
    static List<TranscriptEntry> bluejayTranscript(String callId) {
        List<TranscriptEntry> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(TRANSCRIPTS.resolve(callId + ".json").toFile())) {
            out.add(new TranscriptEntry(e.get("start_offset_ms").asLong(), e.get("end_offset_ms").asLong(),
                    ParticipantRole.valueOf(e.get("speaker").asString()), e.get("utterance").asString(),
                    e.has("filler_utterance") ? e.get("filler_utterance").asBoolean() : null));
        }
        return out;
    }

    /** The length of a call's sample recording, in ms. */
    static long recordingMs(String callId) {
        try {
            AudioFileFormat format = AudioSystem.getAudioFileFormat(SAMPLES.resolve("recordings/" + callId + ".wav").toFile());
            return (long) (format.getFrameLength() * 1000L / format.getFormat().getFrameRate());
        } catch (UnsupportedAudioFileException | IOException e) {
            throw new IllegalStateException("cannot read the recording of " + callId, e);
        }
    }

    static ObjectNode tree(Path file) {
        return (ObjectNode) JSON.readTree(file.toFile());
    }

    /** Content already read, as the converter gets it; {@code shownAs} names it in messages. */
    static TranscriptInput input(JsonNode tree, String shownAs) throws TranscriptException {
        return TranscriptInput.of(Path.of(shownAs), shownAs, JSON.writeValueAsBytes(tree));
    }

    static TranscriptInput input(String json, String shownAs) throws TranscriptException {
        return TranscriptInput.of(Path.of(shownAs), shownAs, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Every file under sample-data/transcripts/, all formats' folders included. */
    static List<Path> allTranscriptFiles() {
        try (Stream<Path> files = Files.walk(TRANSCRIPTS)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file as the converter reads it, or null when it is not even readable text or valid JSON (no parser can take it). */
    static @Nullable TranscriptInput readOrNull(Path file) {
        try {
            return TranscriptInput.read(file, TRANSCRIPTS.relativize(file).toString());
        } catch (TranscriptException e) {
            return null;
        }
    }

    /** The path below sample-data/transcripts/, with forward slashes. */
    static String relative(Path file) {
        return TRANSCRIPTS.relativize(file).toString().replace('\\', '/');
    }
}
