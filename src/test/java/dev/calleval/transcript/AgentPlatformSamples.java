package dev.calleval.transcript;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.mapping.Sidecar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample data the agent-platform parser tests read, and the expectations taken from it. */
final class AgentPlatformSamples {
    static final Path SAMPLES = Path.of("sample-data").toAbsolutePath();
    static final Path FORMATS = SAMPLES.resolve("transcripts/formats");

    private AgentPlatformSamples() {}

    /** The call's Bluejay transcript, the truth every format's sample must convert back to. */
    static List<TranscriptEntry> bluejayTranscript(String callId) throws IOException {
        return List.of(BluejayJson.mapper().readValue(SAMPLES.resolve("transcripts/" + callId + ".json").toFile(), TranscriptEntry[].class));
    }

    /** The call's sidecar tool calls without their descriptions (neither platform carries one). */
    static List<ToolCall> sidecarToolCalls(String callId) throws dev.calleval.source.InputFileException {
        String shownAs = "sidecars/" + callId + ".json";
        List<ToolCall> calls = Objects.requireNonNull(Sidecar.read(SAMPLES.resolve(shownAs), shownAs).toolCalls());
        return calls.stream().map(c -> new ToolCall(c.name(), c.startOffsetMs(), null, c.parameters(), c.output())).toList();
    }

    /** The recording's length in ms, as calleval measures a local WAV. */
    static long wavMs(String callId) throws IOException {
        try {
            AudioFileFormat format = AudioSystem.getAudioFileFormat(SAMPLES.resolve("recordings/" + callId + ".wav").toFile());
            return Math.round(format.getFrameLength() * 1000.0 / format.getFormat().getFrameRate());
        } catch (UnsupportedAudioFileException e) {
            throw new IOException(e);
        }
    }

    /** Content read as calleval reads a transcript file. */
    static TranscriptInput input(String json) throws TranscriptException {
        return TranscriptInput.of(Path.of("inline.json"), "inline.json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every file a parser could be shown: all transcripts (Bluejay ones and every format's samples and broken files
     * that exist in this tree), sidecars, webhooks and simulation logs. Files that do not read as a transcript input
     * (not UTF-8, invalid JSON) are left out: no parser is asked about them.
     */
    static List<Path> everyInputFile() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of("transcripts", "sidecars", "webhooks", "simulation-logs")) {
            try (Stream<Path> walk = Files.walk(SAMPLES.resolve(folder))) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().endsWith(".py") && !p.getFileName().toString().endsWith(".md"))
                        .sorted().forEach(files::add);
            }
        }
        return files;
    }

    /** Asserts that {@code parser} accepts exactly the files {@code ours} says are its format, and that there are some. */
    static void assertAcceptsOnly(TranscriptParser parser, Predicate<Path> ours) throws IOException {
        List<String> accepted = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Path file : everyInputFile()) {
            String shownAs = SAMPLES.relativize(file).toString().replace('\\', '/');
            TranscriptInput input;
            try {
                input = TranscriptInput.read(file, shownAs);
            } catch (TranscriptException e) {
                continue;
            }
            if (parser.accepts(input)) {
                accepted.add(shownAs);
            }
            if (ours.test(file)) {
                expected.add(shownAs);
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(accepted).as("files %s detects as its format", parser.format().id()).containsExactlyElementsOf(expected);
    }

    /** True for {@code formats/<id>/...} and {@code formats/broken/<id>-...}. */
    static Predicate<Path> formatFiles(TranscriptFormat format) {
        return file -> {
            String path = FORMATS.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
            return !path.startsWith("..") && (path.startsWith(format.id() + "/") || path.startsWith("broken/" + format.id() + "-"));
        };
    }
}
