package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.calleval.transcript.SpeechFormatSamples.FORMATS;
import static dev.calleval.transcript.SpeechFormatSamples.bluejayTranscript;
import static dev.calleval.transcript.SpeechFormatSamples.inline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class AssemblyAiParserTests {
    private static final String ENVELOPE = """
            {"id": "6f3c0c8e-2b8a-4d7e-9d54-3f0e2a1b7c11", "audio_url": "https://storage.example.com/call.wav", "status": "completed",
             "audio_duration": %s, "text": "…", "words": [], "utterances": %s}""";

    private final TranscriptConverter converter = new TranscriptConverter();
    private final AssemblyAiParser parser = new AssemblyAiParser();

    private TranscriptConverter.Conversion convertSample(String file, Long recordingMs) throws TranscriptException {
        return converter.convert(FORMATS.resolve(file), file, null, SpeakerMapping.defaults(), recordingMs);
    }

    private TranscriptConverter.Conversion convertInline(String duration, String utterances, SpeakerMapping speakers)
            throws TranscriptException {
        return converter.convert(inline(ENVELOPE.formatted(duration, utterances)), null, speakers, null);
    }

    @Test
    void sampleIsDetectedAndGivesTheCallsTranscript() throws Exception {
        for (Long recordingMs : new Long[] {28_796L, null}) { // the WAV's length, or audio_duration alone
            TranscriptConverter.Conversion conversion = convertSample("assemblyai/nw-2026-11-19-0007.json", recordingMs);

            assertThat(conversion.format()).isEqualTo(TranscriptFormat.ASSEMBLYAI);
            assertThat(conversion.transcript()).isEqualTo(bluejayTranscript("nw-2026-11-19-0007"));
            assertThat(conversion.toolCalls()).as("tool calls come from the call's sidecar, not from AssemblyAI").isEmpty();
        }
    }

    @Test
    void keepsTheSpeakerLettersAndTheStatedDuration() throws Exception {
        ParsedTranscript parsed = parser.parse(TranscriptInput.read(FORMATS.resolve("assemblyai/nw-2026-11-19-0007.json"), "x.json"));

        assertThat(parsed.durationMs()).isEqualTo(29_000L); // audio_duration is whole seconds
        assertThat(parsed.utterances()).extracting(Utterance::where, Utterance::speaker, Utterance::channel, Utterance::role)
                .startsWith(tuple("utterances[0]", "A", null, null), tuple("utterances[1]", "B", null, null));
    }

    @Test
    void theJobCanMapTheLetters() throws Exception {
        String utterances = """
                [{"start": 300, "end": 1200, "speaker": "A", "text": "Hi, I can't log in."},
                 {"start": 1500, "end": 2900, "speaker": "B", "text": "Northwind Support, Nora speaking."}]""";
        SpeakerMapping labels = new SpeakerMapping(SpeakerMapping.Strategy.AUTO, Map.of("a", ParticipantRole.USER, "B", ParticipantRole.AGENT), Map.of(),
                ParticipantRole.AGENT, List.of());

        assertThat(convertInline("3", utterances, labels).transcript()).containsExactly(
                new TranscriptEntry(300, 1200, ParticipantRole.USER, "Hi, I can't log in.", null),
                new TranscriptEntry(1500, 2900, ParticipantRole.AGENT, "Northwind Support, Nora speaking.", null));
    }

    @Test
    void multichannelUtterancesAreAttributedByChannelCountedFromOne() throws Exception {
        String utterances = """
                [{"start": 300, "end": 1200, "speaker": "2", "channel": "2", "text": "Hello?"},
                 {"start": 1500, "end": 2900, "speaker": "1", "channel": "1", "text": "Northwind Support, Nora speaking."},
                 {"start": 3100, "end": 3600, "speaker": "2B", "channel": "2", "text": "Hi."}]""";

        ParsedTranscript parsed = parser.parse(inline(ENVELOPE.formatted("4", utterances)));
        assertThat(parsed.utterances()).extracting(Utterance::speaker, Utterance::channel)
                .containsExactly(tuple(null, 1), tuple(null, 0), tuple("2B", 1));
        assertThat(convertInline("4", utterances.replace("\"2B\"", "\"2\""), SpeakerMapping.defaults()).transcript())
                .extracting(TranscriptEntry::speaker)
                .as("channel 1 (calleval's 0) is the agent even though the customer spoke first")
                .containsExactly(ParticipantRole.USER, ParticipantRole.AGENT, ParticipantRole.USER);
    }

    @Test
    void rejectsTheBrokenSampleNamingTheEntry() {
        assertThatThrownBy(() -> convertSample("broken/assemblyai-end-before-start.json", null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.utterances[2]");
                    assertThat(e.getMessage()).isEqualTo("utterances[2] ends at 8025 ms, before it starts at 8475 ms, in "
                            + "broken/assemblyai-end-before-start.json");
                });
    }

    @Test
    void rejectsFractionalOrTextMilliseconds() {
        String fractional = """
                [{"start": 300.5, "end": 1200, "speaker": "A", "text": "Hello."}]""";
        String text = """
                [{"start": 300, "end": "1.2s", "speaker": "A", "text": "Hello."}]""";

        assertThatThrownBy(() -> convertInline("3", fractional, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.utterances[0].start");
            assertThat(e.getMessage()).isEqualTo("utterances[0].start is 300.5, expected whole milliseconds, in inline.json");
        });
        assertThatThrownBy(() -> convertInline("3", text, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class,
                e -> assertThat(e.field()).isEqualTo("transcript.utterances[0].end"));
    }

    @Test
    void anUtteranceWithoutSpeakerSaysNobodySpokeIt() throws Exception {
        String utterances = """
                [{"start": 300, "end": 1200, "speaker": null, "text": "Hello."}]""";

        assertThatThrownBy(() -> convertInline("3", utterances, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.utterances[0]");
            assertThat(e.getMessage()).startsWith("inline.json (assemblyai) does not say who spoke: its one utterance, utterances[0], has "
                    + "a speaker label or a channel (AssemblyAI gives them with speaker_labels=true or multichannel=true)");
        });
        assertThat(convertInline("3", utterances, SpeakerMapping.defaults().withUnlabelled(ParticipantRole.USER)).transcript())
                .containsExactly(new TranscriptEntry(300, 1200, ParticipantRole.USER, "Hello.", null));
    }

    @Test
    void readsTheWordsOfATranscriptWithoutSpeakerLabelsAndRefusesItUnlessTheJobNamesItsRole() throws Exception {
        String json = """
                {"id": "t1", "audio_url": "https://storage.example.com/call.wav", "status": "completed", "audio_duration": 5,
                 "utterances": null, "speaker_labels": false, "words": [
                  {"text": "Thanks", "start": 300, "end": 700, "speaker": null},
                  {"text": "for", "start": 780, "end": 1000, "speaker": null},
                  {"text": "calling.", "start": 1080, "end": 1500, "speaker": null},
                  {"text": "Bye.", "start": 2300, "end": 2600, "speaker": null}]}""";

        assertThat(parser.parse(inline(json)).utterances()).extracting(Utterance::where, Utterance::speaker, Utterance::text)
                .containsExactly(tuple("words[0..2]", null, "Thanks for calling."), tuple("words[3]", null, "Bye."));
        assertThatThrownBy(() -> converter.convert(inline(json), null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.words[0..2]");
                    assertThat(e.getMessage()).startsWith("inline.json (assemblyai) " + TranscriptConverter.NOBODY_SAID_WHO_SPOKE
                            + ": none of its 2 utterances, from words[0..2] on, has a speaker label or a channel");
                });
        assertThat(converter.convert(inline(json), null, SpeakerMapping.defaults().withUnlabelled(ParticipantRole.AGENT), null).transcript())
                .containsExactly(new TranscriptEntry(300, 1500, ParticipantRole.AGENT, "Thanks for calling.", null),
                        new TranscriptEntry(2300, 2600, ParticipantRole.AGENT, "Bye.", null));
    }

    @Test
    void rejectsATranscriptWithoutUtterancesOrNotCompleted() {
        assertThatThrownBy(() -> convertInline("3", "null", SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript");
            assertThat(e.getMessage()).isEqualTo("inline.json (assemblyai) holds no utterances");
        });
        String failed = ENVELOPE.formatted("null", "null").replace("\"completed\"", "\"error\"")
                .replace("\"text\": \"…\"", "\"error\": \"Download error, unable to download https://storage.example.com/call.wav\"");
        assertThatThrownBy(() -> converter.convert(inline(failed), null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.status");
                    assertThat(e.getMessage()).isEqualTo("inline.json: the AssemblyAI transcript's status is 'error', not 'completed' "
                            + "(error: Download error, unable to download https://storage.example.com/call.wav)");
                });
    }

    @Test
    void theDurationTheFileStatesBoundsTheUtterances() {
        String utterances = """
                [{"start": 300, "end": 1200, "speaker": "A", "text": "Hello."},
                 {"start": 1500, "end": 4100, "speaker": "B", "text": "Hi."}]""";

        assertThatThrownBy(() -> convertInline("3", utterances, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.utterances[1]");
            assertThat(e.getMessage()).contains("ends at 4100 ms, after the end of the call (as the file states) at 3000 ms");
        });
    }

    @Test
    void claimsOnlyAssemblyAiFiles() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (Path file : SpeechFormatSamples.allSampleFiles()) {
            TranscriptInput input = SpeechFormatSamples.readOrNull(file);
            if (input != null && parser.accepts(input)) {
                accepted.add(input.shownAs());
            }
        }

        assertThat(accepted).containsExactlyInAnyOrder("transcripts/formats/assemblyai/nw-2026-11-19-0007.json",
                "transcripts/formats/broken/assemblyai-end-before-start.json");
    }
}
