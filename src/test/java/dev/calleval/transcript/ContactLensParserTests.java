package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.calleval.transcript.AwsFormatSamples.FORMATS;
import static dev.calleval.transcript.AwsFormatSamples.bluejayTranscript;
import static dev.calleval.transcript.AwsFormatSamples.input;
import static dev.calleval.transcript.AwsFormatSamples.recordingMs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ContactLensParserTests {
    private static final String CALL = "nw-2026-11-19-0004";
    private static final Path SAMPLE = FORMATS.resolve("contact-lens/" + CALL + ".json");

    private final TranscriptConverter converter = new TranscriptConverter();
    private final ContactLensParser parser = new ContactLensParser();

    @Test
    void detectsCallAnalyticsOutputAndConvertsItToTheCallsTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(SAMPLE, "contact-lens/" + CALL + ".json", null, SpeakerMapping.defaults(),
                recordingMs(CALL));

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.CONTACT_LENS);
        assertThat(conversion.transcript()).isEqualTo(bluejayTranscript(CALL));
        assertThat(conversion.toolCalls()).isEmpty();
    }

    @Test
    void statesTheRoleFromParticipantRoleAndTheDurationFromTheConversationCharacteristics() throws Exception {
        ParsedTranscript parsed = parser.parse(TranscriptInput.read(SAMPLE, "x.json"));

        assertThat(parsed.utterances()).extracting(Utterance::where, Utterance::speaker, Utterance::role).startsWith(
                tuple("Transcript[0]", "AGENT", ParticipantRole.AGENT), tuple("Transcript[1]", "CUSTOMER", ParticipantRole.USER));
        assertThat(parsed.durationMs()).isEqualTo(24904L);
    }

    @Test
    void theStatedRoleWinsOverWhoSpokeFirst() throws Exception {
        String json = """
                {"JobStatus": "COMPLETED", "LanguageCode": "en-US", "Transcript": [
                  {"Id": "b", "BeginOffsetMillis": 2900, "EndOffsetMillis": 4100, "Content": "Northwind Support, Nora speaking.", "ParticipantRole": "AGENT"},
                  {"Id": "a", "BeginOffsetMillis": 300, "EndOffsetMillis": 2500, "Content": "Hello? Is anyone there?", "ParticipantRole": "CUSTOMER"}
                ]}
                """;

        List<TranscriptEntry> entries = converter.convert(input(json, "x.json"), null, SpeakerMapping.defaults(), null).transcript();

        assertThat(entries).containsExactly(new TranscriptEntry(300, 2500, ParticipantRole.USER, "Hello? Is anyone there?", null),
                new TranscriptEntry(2900, 4100, ParticipantRole.AGENT, "Northwind Support, Nora speaking.", null));
    }

    @Test
    void resolvesContactLensParticipantIdsThroughParticipants() throws Exception {
        String json = """
                {"Version": "1.1.0", "AccountId": "111122223333", "Channel": "VOICE", "ContentMetadata": {"Output": "Raw"},
                 "JobStatus": "COMPLETED", "LanguageCode": "en-US",
                 "Participants": [{"ParticipantId": "p-1", "ParticipantRole": "AGENT"}, {"ParticipantId": "p-2", "ParticipantRole": "CUSTOMER"}],
                 "Transcript": [
                   {"BeginOffsetMillis": 2540, "Content": "Thanks for calling.", "EndOffsetMillis": 2975, "Id": "0a17", "ParticipantId": "p-2", "Sentiment": "NEUTRAL"},
                   {"BeginOffsetMillis": 3100, "Content": "Hi, I have a question.", "EndOffsetMillis": 4200, "Id": "9423", "ParticipantId": "p-1", "Sentiment": "NEUTRAL"},
                   {"BeginOffsetMillis": 4300, "Content": "Go ahead.", "EndOffsetMillis": 4900, "Id": "9424", "ParticipantId": "CUSTOMER", "Sentiment": "NEUTRAL"}
                 ]}
                """;

        List<Utterance> utterances = parser.parse(input(json, "x.json")).utterances();

        assertThat(utterances).extracting(Utterance::speaker, Utterance::role).containsExactly(tuple("CUSTOMER", ParticipantRole.USER),
                tuple("AGENT", ParticipantRole.AGENT), tuple("CUSTOMER", ParticipantRole.USER));
    }

    @Test
    void keepsOtherParticipantsAsSpeakerLabelsForTheJobsMapping() throws Exception {
        String json = """
                {"Transcript": [
                  {"BeginOffsetMillis": 0, "EndOffsetMillis": 1800, "Content": "Your call may be recorded.", "ParticipantRole": "SYSTEM"},
                  {"BeginOffsetMillis": 2000, "EndOffsetMillis": 3000, "Content": "Hello.", "ParticipantRole": "CUSTOMER"}
                ]}
                """;

        List<Utterance> utterances = parser.parse(input(json, "x.json")).utterances();

        assertThat(utterances).extracting(Utterance::speaker, Utterance::role).containsExactly(tuple("SYSTEM", null),
                tuple("CUSTOMER", ParticipantRole.USER));
        assertThat(converter.convert(input(json, "x.json"), null, SpeakerMapping.defaults(), null).transcript())
                .extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.AGENT, ParticipantRole.USER);
    }

    @Test
    void rejectsTheBrokenSampleNamingTheEntryAndTheFile() {
        Path file = FORMATS.resolve("broken/contact-lens-end-before-start.json");

        assertThatThrownBy(() -> converter.convert(file, "broken/contact-lens-end-before-start.json", null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.Transcript[3]");
                    assertThat(e.getMessage()).isEqualTo(
                            "Transcript[3] ends at 14568 ms, before it starts at 16616 ms, in broken/contact-lens-end-before-start.json");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            fractional offset     | "BeginOffsetMillis": 1.5, "EndOffsetMillis": 900, "Content": "Hi.", "ParticipantRole": "AGENT"  | transcript.Transcript[1].BeginOffsetMillis | Transcript[1].BeginOffsetMillis is 1.5, expected whole milliseconds, in x.json
            offset in a string    | "BeginOffsetMillis": "abc", "EndOffsetMillis": 900, "Content": "Hi.", "ParticipantRole": "AGENT" | transcript.Transcript[1].BeginOffsetMillis | Transcript[1].BeginOffsetMillis is "abc", expected whole milliseconds, in x.json
            missing end           | "BeginOffsetMillis": 500, "Content": "Hi.", "ParticipantRole": "AGENT"                          | transcript.Transcript[1].EndOffsetMillis   | Transcript[1].EndOffsetMillis is missing, expected whole milliseconds, in x.json
            missing content       | "BeginOffsetMillis": 500, "EndOffsetMillis": 900, "ParticipantRole": "AGENT"                    | transcript.Transcript[1].Content           | Transcript[1].Content is missing, expected the utterance's text, in x.json
            no participant        | "BeginOffsetMillis": 500, "EndOffsetMillis": 900, "Content": "Hi."                              | transcript.Transcript[1].ParticipantRole   | Transcript[1] has no ParticipantRole (ParticipantRole is missing, ParticipantId is missing), in x.json
            """)
    void rejectsABadEntryNamingIt(String problem, String entry, String field, String message) {
        String json = """
                {"JobStatus": "COMPLETED", "Transcript": [
                  {"BeginOffsetMillis": 0, "EndOffsetMillis": 400, "Content": "Hello.", "ParticipantRole": "CUSTOMER"},
                  {%s}
                ]}
                """.formatted(entry);

        assertThatThrownBy(() -> parser.parse(input(json, "x.json"))).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void rejectsAnUtteranceEndingAfterTheConversationTheFileStates() {
        String json = """
                {"Transcript": [
                  {"BeginOffsetMillis": 500, "EndOffsetMillis": 3000, "Content": "Hello.", "ParticipantRole": "AGENT"},
                  {"BeginOffsetMillis": 4000, "EndOffsetMillis": 9000, "Content": "Hi.", "ParticipantRole": "CUSTOMER"}
                ], "ConversationCharacteristics": {"TotalConversationDurationMillis": 6000}}
                """;

        assertThatThrownBy(() -> converter.convert(input(json, "x.json"), null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.Transcript[1]");
                    assertThat(e.getMessage()).contains("Transcript[1] ends at 9000 ms, after the end of the call (as the file states) at 6000 ms");
                });
    }

    @Test
    void acceptsOnlyCallAnalyticsOutputAmongAllSampleTranscripts() {
        List<Path> files = AwsFormatSamples.allTranscriptFiles();
        assertThat(files).extracting(AwsFormatSamples::relative).contains("formats/contact-lens/" + CALL + ".json",
                "formats/aws-transcribe/nw-2026-11-19-0002.json", "nw-2026-11-19-0001.json");

        for (Path file : files) {
            String name = AwsFormatSamples.relative(file);
            TranscriptInput input = AwsFormatSamples.readOrNull(file);
            boolean ours = name.startsWith("formats/contact-lens/") || name.startsWith("formats/broken/contact-lens-");
            assertThat(input != null && parser.accepts(input)).as(name).isEqualTo(ours);
        }
    }
}
