package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The converter's own rules, on the Bluejay and plain-JSON formats: detection, speakers, fillers, validation. */
class TranscriptConverterTests {
    private static final Path SAMPLES = Path.of("sample-data/transcripts");
    private final TranscriptConverter converter = new TranscriptConverter();

    @TempDir
    Path dir;

    private TranscriptConverter.Conversion convert(String content, SpeakerMapping speakers, Long durationMs) throws TranscriptException {
        return converter.convert(TranscriptInput.of(dir.resolve("t.json"), "t.json", content.getBytes(StandardCharsets.UTF_8)), null,
                speakers, durationMs);
    }

    private static String plain(String... rows) {
        return "[" + String.join(",", rows) + "]";
    }

    @Test
    void secondsConvertToExactMilliseconds() {
        assertThat(Times.secondsToMs(new BigDecimal("0.29"))).isEqualTo(290);
        assertThat(Times.secondsToMs(new BigDecimal("1.0005"))).isEqualTo(1001);
        assertThat(Times.secondsToMs(new BigDecimal("4.1249"))).isEqualTo(4125);
        assertThat(Times.secondsToMs(new BigDecimal("3600"))).isEqualTo(3_600_000);
    }

    @Test
    void thePlainJsonSampleConvertsBackToTheCallsBluejayTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(SAMPLES.resolve("formats/plain-json/nw-2026-11-19-0012.json"),
                "plain.json", null, SpeakerMapping.defaults(), null);

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.PLAIN_JSON);
        JsonNode expected = JsonMapper.builder().build().readTree(SAMPLES.resolve("nw-2026-11-19-0012.json").toFile());
        assertThat(conversion.transcript()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode e = expected.get(i);
            TranscriptEntry actual = conversion.transcript().get(i);
            assertThat(actual.startOffsetMs()).isEqualTo(e.get("start_offset_ms").asLong());
            assertThat(actual.endOffsetMs()).isEqualTo(e.get("end_offset_ms").asLong());
            assertThat(actual.speaker().name()).isEqualTo(e.get("speaker").asString());
            assertThat(actual.utterance()).isEqualTo(e.get("utterance").asString());
        }
    }

    @Test
    void theBrokenPlainJsonSampleIsRejectedNamingTheEntry() {
        assertThatThrownBy(() -> converter.convert(SAMPLES.resolve("formats/broken/plain-json-non-numeric-start.json"), "broken.json", null,
                SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> assertThat(e.field()).isEqualTo("transcript[2].start"))
                .hasMessageContaining("transcript[2].start is \"four seconds\", expected a number of seconds, in broken.json");
    }

    @Test
    void everyBluejaySampleTranscriptIsDetectedAsBluejay() throws Exception {
        try (var files = Files.list(SAMPLES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("nw-")).toList()) {
                assertThat(converter.detect(TranscriptInput.read(file, file.toString()))).as(file.toString()).isEqualTo(TranscriptFormat.BLUEJAY);
            }
        }
    }

    @Test
    void autoMappingUsesLabelsThatNameARoleElseWhoSpokeFirst() throws Exception {
        List<TranscriptEntry> named = convert(plain("{\"speaker\":\"Customer\",\"text\":\"Hi\",\"start\":0.5,\"end\":1}",
                "{\"speaker\":\"Agent\",\"text\":\"Hello\",\"start\":1.2,\"end\":2}"), SpeakerMapping.defaults(), null).transcript();
        assertThat(named).extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.USER, ParticipantRole.AGENT);

        List<TranscriptEntry> byOrder = convert(plain("{\"speaker\":\"B\",\"text\":\"Hello\",\"start\":0.5,\"end\":1}",
                "{\"speaker\":\"A\",\"text\":\"Hi\",\"start\":1.2,\"end\":2}", "{\"speaker\":\"B\",\"text\":\"How can I help\",\"start\":2.5,\"end\":3}"),
                SpeakerMapping.defaults(), null).transcript();
        assertThat(byOrder).extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.AGENT, ParticipantRole.USER, ParticipantRole.AGENT);
    }

    @Test
    void labelMappingRefusesAnUnmappedSpeakerNamingTheEntry() {
        SpeakerMapping labels = new SpeakerMapping(SpeakerMapping.Strategy.LABEL, Map.of("Nora", ParticipantRole.AGENT), Map.of(),
                ParticipantRole.AGENT, List.of());
        assertThatThrownBy(() -> convert(plain("{\"speaker\":\"nora\",\"text\":\"Hi\",\"start\":0.5,\"end\":1}",
                "{\"speaker\":\"Sam\",\"text\":\"Hello\",\"start\":1.2,\"end\":2}"), labels, null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> assertThat(e.field()).isEqualTo("transcript[1]"))
                .hasMessageContaining("speaker 'Sam' is not mapped").hasMessageContaining("transcript.speakers.labels");
    }

    @Test
    void aThirdSpeakerCannotBeGuessed() {
        assertThatThrownBy(() -> convert(plain("{\"speaker\":\"A\",\"text\":\"Hi\",\"start\":0.5,\"end\":1}",
                "{\"speaker\":\"B\",\"text\":\"Hello\",\"start\":1.2,\"end\":2}", "{\"speaker\":\"C\",\"text\":\"Hey\",\"start\":2.2,\"end\":3}"),
                SpeakerMapping.defaults(), null))
                .isInstanceOf(TranscriptException.class).hasMessageContaining("third speaker (C)");
    }

    @Test
    void agentUtterancesOfFillerWordsAreMarked() throws Exception {
        List<TranscriptEntry> entries = convert(plain("{\"speaker\":\"Agent\",\"text\":\"Um, let me check.\",\"start\":0.5,\"end\":1}",
                "{\"speaker\":\"Customer\",\"text\":\"Okay.\",\"start\":1.2,\"end\":2}",
                "{\"speaker\":\"Agent\",\"text\":\"Your order ships today.\",\"start\":2.2,\"end\":3}"), SpeakerMapping.defaults(), null).transcript();
        assertThat(entries).extracting(TranscriptEntry::fillerUtterance).containsExactly(true, null, null);
    }

    @Test
    void secondsReadAsMillisecondsAreCaughtAgainstTheRecordingLength() {
        assertThatThrownBy(() -> convert(plain("{\"speaker\":\"Agent\",\"text\":\"Hi\",\"start\":0.0005,\"end\":0.01}",
                "{\"speaker\":\"Customer\",\"text\":\"Hello\",\"start\":0.012,\"end\":0.05}"), SpeakerMapping.defaults(), 50_000L))
                .isInstanceOf(TranscriptException.class).hasMessageContaining("seconds read as milliseconds")
                .hasMessageContaining("the recording lasts 50000 ms");
    }

    @Test
    void offsetsPastADayAreCaughtAsAUnitOrRebasingMistake() {
        assertThatThrownBy(() -> convert(plain("{\"speaker\":\"Agent\",\"text\":\"Hi\",\"start\":1763539331,\"end\":1763539333}"),
                SpeakerMapping.defaults(), null))
                .isInstanceOf(TranscriptException.class).hasMessageContaining("more than 24 hours");
    }

    @Test
    void anUtteranceAfterTheEndOfTheRecordingIsRejected() {
        assertThatThrownBy(() -> convert(plain("{\"speaker\":\"Agent\",\"text\":\"Hi\",\"start\":1,\"end\":2}",
                "{\"speaker\":\"Customer\",\"text\":\"Bye\",\"start\":20,\"end\":21.5}"), SpeakerMapping.defaults(), 20_000L))
                .isInstanceOfSatisfying(TranscriptException.class, e -> assertThat(e.field()).isEqualTo("transcript[1]"))
                .hasMessageContaining("ends at 21500 ms, after the end of the recording at 20000 ms");
    }

    @Test
    void anUnknownFormatAndAWronglyNamedFormatAreRefusedClearly() throws Exception {
        TranscriptInput csv = TranscriptInput.of(dir.resolve("t.csv"), "t.csv", "speaker,text\nA,hi\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> converter.convert(csv, null, SpeakerMapping.defaults(), null))
                .isInstanceOf(TranscriptException.class).hasMessageContaining("t.csv is in no transcript format calleval knows");

        TranscriptInput bluejay = TranscriptInput.read(SAMPLES.resolve("nw-2026-11-19-0001.json"), "b.json");
        assertThatThrownBy(() -> converter.convert(bluejay, TranscriptFormat.PLAIN_JSON, SpeakerMapping.defaults(), null))
                .isInstanceOf(TranscriptException.class).hasMessage("b.json is not a plain-json file (it looks like bluejay)");
    }

    @Test
    void invalidUtf8IsRejected() {
        assertThatThrownBy(() -> TranscriptInput.of(dir.resolve("t.json"), "t.json", new byte[] {'[', (byte) 0xC3, (byte) 0x28, ']'}))
                .isInstanceOf(TranscriptException.class).hasMessage("t.json is not UTF-8 text");
    }

    @Test
    void theSampleRecordingsAreAsLongAsTheirTranscripts() throws Exception {
        for (String call : List.of("nw-2026-11-19-0001", "nw-2026-11-19-0012")) {
            long duration = dev.calleval.mapping.RecordingsAccess.wavDurationMs(Path.of("sample-data/recordings/" + call + ".wav"));
            TranscriptConverter.Conversion conversion = converter.convert(SAMPLES.resolve(call + ".json"), call, null,
                    SpeakerMapping.defaults(), duration);
            long lastEnd = conversion.transcript().get(conversion.transcript().size() - 1).endOffsetMs();
            assertThat(duration).as(call).isBetween(lastEnd, lastEnd + 5000);
        }
    }

    // ------------------------------------------------------------------------------ who spoke

    /** Converts utterances as a parser would give them, in the WebVTT format. */
    private static List<TranscriptEntry> fixed(List<Utterance> utterances, SpeakerMapping speakers) throws TranscriptException {
        TranscriptParser parser = new TranscriptParser() {
            @Override
            public TranscriptFormat format() {
                return TranscriptFormat.WEBVTT;
            }

            @Override
            public boolean accepts(TranscriptInput input) {
                return true;
            }

            @Override
            public ParsedTranscript parse(TranscriptInput input) {
                return new ParsedTranscript(TranscriptFormat.WEBVTT, utterances, List.of(), null);
            }
        };
        return new TranscriptConverter(List.of(parser)).convert(TranscriptInput.of(Path.of("t.vtt"), "t.vtt",
                "WEBVTT\n".getBytes(StandardCharsets.UTF_8)), null, speakers, null).transcript();
    }

    @Test
    void theUnlabelledRoleGoesToUtterancesWithoutASpeakerWhateverTheStrategy() throws Exception {
        List<Utterance> utterances = List.of(new Utterance("cue 1", "Nora", null, null, 1000, 2000, "Northwind Support.", null),
                new Utterance("cue 2", null, null, null, 3000, 4000, "Hi, it's Lena.", null));
        SpeakerMapping byLabel = new SpeakerMapping(SpeakerMapping.Strategy.LABEL, Map.of("Nora", ParticipantRole.AGENT), Map.of(),
                ParticipantRole.AGENT, List.of());

        assertThatThrownBy(() -> fixed(utterances, byLabel)).isInstanceOf(TranscriptException.class)
                .hasMessageContaining("speaker (none given) is not mapped");
        assertThat(fixed(utterances, byLabel.withUnlabelled(ParticipantRole.USER))).extracting(TranscriptEntry::speaker)
                .containsExactly(ParticipantRole.AGENT, ParticipantRole.USER);
        // a file that names some of its speakers says who spoke: without the key, the unnamed one is one more speaker
        assertThat(fixed(utterances, SpeakerMapping.defaults())).extracting(TranscriptEntry::speaker)
                .containsExactly(ParticipantRole.AGENT, ParticipantRole.USER);
    }

    @Test
    void aChannelOrARoleSaysWhoSpokeAndOnlyAFileWithNeitherIsRefused() throws Exception {
        assertThat(fixed(List.of(new Utterance("u0", null, 1, null, 0, 900, "Hello?", null)), SpeakerMapping.defaults()))
                .extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.USER);
        assertThat(fixed(List.of(new Utterance("u0", null, null, ParticipantRole.AGENT, 0, 900, "Hello.", null)), SpeakerMapping.defaults()))
                .extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.AGENT);
        assertThatThrownBy(() -> fixed(List.of(new Utterance("u0", null, null, null, 0, 900, "Hello.", null)), SpeakerMapping.defaults()))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.u0");
                    assertThat(e.getMessage()).startsWith("t.vtt (webvtt) " + TranscriptConverter.NOBODY_SAID_WHO_SPOKE + ": its one utterance, u0, has");
                });
    }
}
