package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static dev.calleval.transcript.AwsFormatSamples.FORMATS;
import static dev.calleval.transcript.AwsFormatSamples.bluejayTranscript;
import static dev.calleval.transcript.AwsFormatSamples.input;
import static dev.calleval.transcript.AwsFormatSamples.recordingMs;
import static dev.calleval.transcript.AwsFormatSamples.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class AwsTranscribeParserTests {
    private static final String DIARIZED = "nw-2026-11-19-0002";
    private static final String CHANNELS = "nw-2026-11-19-0003";
    private static final Path DIARIZED_FILE = FORMATS.resolve("aws-transcribe/" + DIARIZED + ".json");
    private static final Path CHANNELS_FILE = FORMATS.resolve("aws-transcribe/" + CHANNELS + ".json");

    private final TranscriptConverter converter = new TranscriptConverter();
    private final AwsTranscribeParser parser = new AwsTranscribeParser();

    @Test
    void detectsSpeakerLabelOutputAndConvertsItToTheCallsTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(DIARIZED_FILE, "aws-transcribe/" + DIARIZED + ".json", null,
                SpeakerMapping.defaults(), recordingMs(DIARIZED));

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.AWS_TRANSCRIBE);
        assertThat(conversion.transcript()).isEqualTo(bluejayTranscript(DIARIZED));
        assertThat(conversion.toolCalls()).isEmpty();
    }

    @Test
    void detectsChannelIdentificationOutputAndConvertsItToTheCallsTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(CHANNELS_FILE, "aws-transcribe/" + CHANNELS + ".json", null,
                SpeakerMapping.defaults(), recordingMs(CHANNELS));

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.AWS_TRANSCRIBE);
        assertThat(conversion.transcript()).isEqualTo(bluejayTranscript(CHANNELS));
        assertThat(conversion.toolCalls()).isEmpty();
    }

    @Test
    void readsTheProvidersAudioSegmentsKeepingSpeakerLabelsAndStatingNoRole() throws Exception {
        List<Utterance> utterances = parser.parse(TranscriptInput.read(DIARIZED_FILE, "x.json")).utterances();

        assertThat(utterances).extracting(Utterance::where, Utterance::speaker, Utterance::channel, Utterance::role).startsWith(
                tuple("results.audio_segments[0]", "spk_0", null, null), tuple("results.audio_segments[1]", "spk_1", null, null));
        assertThat(utterances).hasSize(8);
    }

    @Test
    void prefersAudioSegmentsOverTheWords() throws Exception {
        ObjectNode file = tree(DIARIZED_FILE);
        ((ObjectNode) file.get("results").get("audio_segments").get(0)).put("transcript", "The segment's own text.");

        List<TranscriptEntry> entries = converter.convert(input(file, "x.json"), null, SpeakerMapping.defaults(), null).transcript();

        assertThat(entries.get(0).utterance()).isEqualTo("The segment's own text.");
        assertThat(entries.subList(1, entries.size())).isEqualTo(bluejayTranscript(DIARIZED).subList(1, entries.size()));
    }

    @Test
    void groupsWordsBySpeakerWhenThereAreNoAudioSegments() throws Exception {
        ObjectNode file = tree(DIARIZED_FILE);
        ((ObjectNode) file.get("results")).remove("audio_segments");

        ParsedTranscript parsed = parser.parse(input(file, "x.json"));

        assertThat(parsed.utterances()).extracting(Utterance::where).startsWith("results.items[0]");
        assertThat(parsed.utterances()).extracting(Utterance::speaker).containsExactly("spk_0", "spk_1", "spk_0", "spk_1", "spk_0", "spk_1",
                "spk_0", "spk_1");
        assertThat(converter.convert(input(file, "x.json"), null, SpeakerMapping.defaults(), recordingMs(DIARIZED)).transcript())
                .isEqualTo(bluejayTranscript(DIARIZED));
    }

    @Test
    void findsTheSpeakersOfOlderOutputsInSpeakerLabelSegments() throws Exception {
        ObjectNode file = tree(DIARIZED_FILE);
        ObjectNode results = (ObjectNode) file.get("results");
        results.remove("audio_segments");
        for (JsonNode item : results.get("items")) {
            ((ObjectNode) item).remove("speaker_label");
            ((ObjectNode) item).remove("id");
        }

        List<Utterance> utterances = parser.parse(input(file, "x.json")).utterances();

        assertThat(utterances).extracting(Utterance::speaker).startsWith("spk_0", "spk_1", "spk_0");
        assertThat(converter.convert(input(file, "x.json"), null, SpeakerMapping.defaults(), recordingMs(DIARIZED)).transcript())
                .isEqualTo(bluejayTranscript(DIARIZED));
    }

    @Test
    void channelIdentificationGivesEachUtteranceItsChannel() throws Exception {
        List<Utterance> utterances = parser.parse(TranscriptInput.read(CHANNELS_FILE, "x.json")).utterances();

        assertThat(utterances).extracting(Utterance::speaker, Utterance::channel).containsExactly(tuple(null, 0), tuple(null, 1),
                tuple(null, 0), tuple(null, 1), tuple(null, 0), tuple(null, 1));
        assertThat(utterances).extracting(Utterance::where).startsWith("results.channel_labels.channels[0].items[0]",
                "results.channel_labels.channels[1].items[0]");
    }

    @Test
    void channelsAreMappedByTheJobsChannelMap() throws Exception {
        SpeakerMapping swapped = new SpeakerMapping(SpeakerMapping.Strategy.CHANNEL, Map.of(),
                Map.of(0, ParticipantRole.USER, 1, ParticipantRole.AGENT), ParticipantRole.AGENT, List.of());

        List<TranscriptEntry> entries = converter.convert(CHANNELS_FILE, "x.json", null, swapped, null).transcript();

        assertThat(entries).extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.USER, ParticipantRole.AGENT,
                ParticipantRole.USER, ParticipantRole.AGENT, ParticipantRole.USER, ParticipantRole.AGENT);
    }

    @Test
    void readsChannelLabelsOnTheItemsOfNewerOutputs() throws Exception {
        ObjectNode file = tree(CHANNELS_FILE);
        ObjectNode results = (ObjectNode) file.get("results");
        results.remove("channel_labels");
        List<TranscriptEntry> expected = bluejayTranscript(CHANNELS);
        int utterance = 0;
        for (JsonNode item : results.get("items")) {
            if (item.has("start_time") && utterance + 1 < expected.size()
                    && Times.secondsToMs(Times.decimal(item.get("start_time"))) >= expected.get(utterance + 1).startOffsetMs()) {
                utterance++;
            }
            ((ObjectNode) item).put("channel_label", expected.get(utterance).speaker() == ParticipantRole.AGENT ? "ch_0" : "ch_1");
        }

        assertThat(converter.convert(input(file, "x.json"), null, SpeakerMapping.defaults(), recordingMs(CHANNELS)).transcript())
                .isEqualTo(expected);
    }

    @Test
    void punctuationWithoutTimesJoinsTheWordBeforeIt() throws Exception {
        String json = """
                {"jobName": "j", "accountId": "1", "status": "COMPLETED", "results": {
                  "transcripts": [{"transcript": "Hello, world. Hi!"}],
                  "items": [
                    {"alternatives": [{"confidence": "0.0", "content": "?"}], "type": "punctuation"},
                    {"start_time": "0.29", "end_time": "0.8", "speaker_label": "spk_0", "alternatives": [{"confidence": "0.9", "content": "Hello"}], "type": "pronunciation"},
                    {"speaker_label": "spk_0", "alternatives": [{"confidence": "0.0", "content": ","}], "type": "punctuation"},
                    {"start_time": "0.8", "end_time": "1.005", "speaker_label": "spk_0", "alternatives": [{"confidence": "0.9", "content": "world"}], "type": "pronunciation"},
                    {"speaker_label": "spk_0", "alternatives": [{"confidence": "0.0", "content": "."}], "type": "punctuation"},
                    {"start_time": "1.5", "end_time": "1.75", "speaker_label": "spk_1", "alternatives": [{"confidence": "0.9", "content": "Hi"}], "type": "pronunciation"},
                    {"speaker_label": "spk_1", "alternatives": [{"confidence": "0.0", "content": "!"}], "type": "punctuation"}
                  ]}}
                """;

        List<Utterance> utterances = parser.parse(input(json, "x.json")).utterances();

        assertThat(utterances).extracting(Utterance::where, Utterance::speaker, Utterance::startMs, Utterance::endMs, Utterance::text)
                .containsExactly(tuple("results.items[1]", "spk_0", 290L, 1005L, "Hello, world."),
                        tuple("results.items[5]", "spk_1", 1500L, 1750L, "Hi!"));
    }

    @ParameterizedTest(name = "next word at {0} s: {1} utterance(s)")
    @CsvSource({"2.5, 1", "2.501, 2"})
    void aPauseOfMoreThanOneAndAHalfSecondsStartsANewUtterance(String nextStart, int expectedUtterances) throws Exception {
        String json = """
                {"results": {"transcripts": [{"transcript": "one two"}], "items": [
                  {"start_time": "0.5", "end_time": "1.0", "speaker_label": "spk_0", "alternatives": [{"content": "one"}], "type": "pronunciation"},
                  {"start_time": "%s", "end_time": "3.0", "speaker_label": "spk_0", "alternatives": [{"content": "two"}], "type": "pronunciation"}
                ]}}
                """.formatted(nextStart);

        List<Utterance> utterances = parser.parse(input(json, "x.json")).utterances();

        assertThat(utterances).hasSize(expectedUtterances);
        assertThat(utterances).extracting(Utterance::speaker).containsOnly("spk_0");
        assertThat(utterances.get(0).startMs()).isEqualTo(500);
        assertThat(utterances.get(utterances.size() - 1).endMs()).isEqualTo(3000);
    }

    @Test
    void rejectsTheBrokenSampleNamingTheWordAndTheFile() {
        Path file = FORMATS.resolve("broken/aws-transcribe-non-numeric-time.json");

        assertThatThrownBy(() -> converter.convert(file, "broken/aws-transcribe-non-numeric-time.json", null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.results.channel_labels.channels[1].items[14].start_time");
                    assertThat(e.getMessage()).isEqualTo("results.channel_labels.channels[1].items[14].start_time is \"1O.831\", "
                            + "expected a number of seconds, in broken/aws-transcribe-non-numeric-time.json");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            word without a time   | {"start_time": null, "end_time": "1.0", "alternatives": [{"content": "hi"}], "type": "pronunciation"} | transcript.results.items[0].start_time   | results.items[0].start_time is null, expected a number of seconds, in x.json
            word without content  | {"start_time": "0.5", "end_time": "1.0", "alternatives": [], "type": "pronunciation"}                 | transcript.results.items[0].alternatives | results.items[0].alternatives is [], expected a list holding the word's content, in x.json
            word ending too early | {"start_time": "0.5", "end_time": "0.4", "alternatives": [{"content": "hi"}], "type": "pronunciation"}  | transcript.results.items[0].end_time     | results.items[0] ends at 400 ms (end_time "0.4"), before it starts at 500 ms, in x.json
            item of unknown type  | {"start_time": "0.5", "end_time": "1.0", "alternatives": [{"content": "hi"}], "type": "word"}          | transcript.results.items[0].type         | results.items[0].type is "word", expected "pronunciation" or "punctuation", in x.json
            unknown channel label | {"start_time": "0.5", "end_time": "1.0", "channel_label": "left", "alternatives": [{"content": "hi"}], "type": "pronunciation"} | transcript.results.items[0].channel_label | results.items[0].channel_label is "left", expected ch_0, ch_1, …, in x.json
            """)
    void rejectsABadItemNamingIt(String problem, String item, String field, String message) {
        String json = "{\"results\": {\"transcripts\": [], \"items\": [" + item + "]}}";

        assertThatThrownBy(() -> parser.parse(input(json, "x.json"))).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void rejectsAnAudioSegmentWithoutAnEndTime() {
        String json = """
                {"results": {"transcripts": [], "items": [], "audio_segments": [
                  {"id": 0, "transcript": "Hello.", "start_time": "0.5", "end_time": "1.0", "speaker_label": "spk_0", "items": [0]},
                  {"id": 1, "transcript": "Hi.", "start_time": "1.5", "speaker_label": "spk_1", "items": [1]}
                ]}}
                """;

        assertThatThrownBy(() -> parser.parse(input(json, "x.json"))).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.results.audio_segments[1].end_time");
            assertThat(e.getMessage()).isEqualTo("results.audio_segments[1].end_time is missing, expected a number of seconds, in x.json");
        });
    }

    @Test
    void acceptsOnlyAmazonTranscribeOutputAmongAllSampleTranscripts() {
        List<Path> files = AwsFormatSamples.allTranscriptFiles();
        assertThat(files).extracting(AwsFormatSamples::relative).contains("formats/aws-transcribe/" + DIARIZED + ".json",
                "formats/aws-transcribe/" + CHANNELS + ".json", "formats/contact-lens/nw-2026-11-19-0004.json", "nw-2026-11-19-0001.json");

        for (Path file : files) {
            String name = AwsFormatSamples.relative(file);
            TranscriptInput input = AwsFormatSamples.readOrNull(file);
            boolean ours = name.startsWith("formats/aws-transcribe/") || name.startsWith("formats/broken/aws-transcribe-");
            assertThat(input != null && parser.accepts(input)).as(name).isEqualTo(ours);
        }
    }
}
