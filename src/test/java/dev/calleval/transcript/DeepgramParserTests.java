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

class DeepgramParserTests {
    private final TranscriptConverter converter = new TranscriptConverter();
    private final DeepgramParser parser = new DeepgramParser();

    private TranscriptConverter.Conversion convertSample(String file, Long recordingMs) throws TranscriptException {
        return converter.convert(FORMATS.resolve(file), file, null, SpeakerMapping.defaults(), recordingMs);
    }

    private TranscriptConverter.Conversion convertInline(String json, SpeakerMapping speakers) throws TranscriptException {
        return converter.convert(inline(json), null, speakers, null);
    }

    @Test
    void utterancesFileIsDetectedAndGivesTheCallsTranscript() throws Exception {
        List<TranscriptEntry> expected = bluejayTranscript("nw-2026-11-19-0005");
        for (Long recordingMs : new Long[] {29_511L, null}) { // the WAV's length, or metadata.duration alone
            TranscriptConverter.Conversion conversion = convertSample("deepgram/nw-2026-11-19-0005.json", recordingMs);

            assertThat(conversion.format()).isEqualTo(TranscriptFormat.DEEPGRAM);
            // Deepgram has no filler flag; the default word list does not cover "Thanks, let me pull that up."
            assertThat(conversion.transcript()).isEqualTo(SpeechFormatSamples.withFiller(expected, SpeakerMapping.defaults()));
            assertThat(conversion.transcript().get(4).fillerUtterance()).isNull();
            assertThat(conversion.toolCalls()).as("tool calls come from the call's sidecar, not from Deepgram").isEmpty();
        }
    }

    @Test
    void fillerWordsOfTheJobMarkAgentUtterancesTheFormatCannotFlag() throws Exception {
        SpeakerMapping speakers = new SpeakerMapping(SpeakerMapping.Strategy.AUTO, Map.of(), Map.of(), ParticipantRole.AGENT,
                List.of("thanks", "let me pull that up"));

        TranscriptConverter.Conversion conversion = converter.convert(FORMATS.resolve("deepgram/nw-2026-11-19-0005.json"), "x.json", null,
                speakers, null);

        assertThat(conversion.transcript()).isEqualTo(bluejayTranscript("nw-2026-11-19-0005"));
    }

    @Test
    void multichannelWordsAreGroupedByChannelIntoTheCallsTranscript() throws Exception {
        for (Long recordingMs : new Long[] {24_225L, null}) {
            TranscriptConverter.Conversion conversion = convertSample("deepgram/nw-2026-11-19-0006.json", recordingMs);

            assertThat(conversion.format()).isEqualTo(TranscriptFormat.DEEPGRAM);
            assertThat(conversion.transcript()).isEqualTo(bluejayTranscript("nw-2026-11-19-0006"));
            assertThat(conversion.toolCalls()).isEmpty();
        }
    }

    @Test
    void multichannelWordsKeepTheChannelNotASpeakerLabel() throws Exception {
        ParsedTranscript parsed = parser.parse(TranscriptInput.read(FORMATS.resolve("deepgram/nw-2026-11-19-0006.json"), "x.json"));

        assertThat(parsed.durationMs()).isEqualTo(24_226L); // metadata.duration 24.2258125 s, half-up
        assertThat(parsed.utterances()).extracting(Utterance::where, Utterance::speaker, Utterance::channel, Utterance::role)
                .startsWith(tuple("results.channels[0].alternatives[0].words[0..9]", null, 0, null),
                        tuple("results.channels[1].alternatives[0].words[0..9]", null, 1, null));
    }

    @Test
    void theChannelDecidesEvenWhenTheCustomerSpeaksFirst() throws Exception {
        String json = """
                {"metadata": {"duration": 4.0, "channels": 2}, "results": {"channels": [
                  {"alternatives": [{"transcript": "Hello.", "words": [{"word": "hello", "punctuated_word": "Hello.", "start": 2.0, "end": 2.5}]}]},
                  {"alternatives": [{"transcript": "Hi there.", "words": [
                    {"word": "hi", "punctuated_word": "Hi", "start": 0.5, "end": 0.8}, {"word": "there", "punctuated_word": "there.", "start": 0.8, "end": 1.2}]}]}
                ]}}""";

        assertThat(convertInline(json, SpeakerMapping.defaults()).transcript()).containsExactly(
                new TranscriptEntry(500, 1200, ParticipantRole.USER, "Hi there.", null),
                new TranscriptEntry(2000, 2500, ParticipantRole.AGENT, "Hello.", null));
    }

    @Test
    void diarizedWordsAreGroupedBySpeakerAndSplitAtLongPauses() throws Exception {
        String json = """
                {"metadata": {"duration": 9.5, "channels": 1}, "results": {"channels": [{"alternatives": [{"transcript": "…", "words": [
                  {"word": "hello", "punctuated_word": "Hello,", "start": 0.5, "end": 0.9, "speaker": 0},
                  {"word": "northwind", "punctuated_word": "Northwind.", "start": 0.9, "end": 1.5, "speaker": 0},
                  {"word": "hi", "punctuated_word": "Hi.", "start": 2.0, "end": 2.3, "speaker": 1},
                  {"word": "one", "punctuated_word": "One", "start": 3.0, "end": 3.2, "speaker": 0},
                  {"word": "moment", "punctuated_word": "moment.", "start": 3.2, "end": 3.7, "speaker": 0},
                  {"word": "done", "start": 4.5, "end": 4.9, "speaker": 0},
                  {"word": "thanks", "punctuated_word": "Thanks.", "start": 5.2, "end": 5.6, "speaker": 1}
                ]}]}]}}""";

        assertThat(convertInline(json, SpeakerMapping.defaults()).transcript()).containsExactly(
                new TranscriptEntry(500, 1500, ParticipantRole.AGENT, "Hello, Northwind.", null),
                new TranscriptEntry(2000, 2300, ParticipantRole.USER, "Hi.", null),
                new TranscriptEntry(3000, 3700, ParticipantRole.AGENT, "One moment.", Boolean.TRUE),
                // 800 ms after "moment." (Deepgram's utt_split default): a new utterance; no punctuated_word: the word
                new TranscriptEntry(4500, 4900, ParticipantRole.AGENT, "done", null),
                new TranscriptEntry(5200, 5600, ParticipantRole.USER, "Thanks.", null));

        ParsedTranscript parsed = parser.parse(inline(json));
        assertThat(parsed.utterances()).extracting(Utterance::where, Utterance::speaker, Utterance::channel).startsWith(
                tuple("results.channels[0].alternatives[0].words[0..1]", "speaker_0", null),
                tuple("results.channels[0].alternatives[0].words[2]", "speaker_1", null));
    }

    @Test
    void speakerLabelsCanBeMappedByTheJob() throws Exception {
        String json = """
                {"metadata": {"channels": 1}, "results": {"channels": [{"alternatives": [{"transcript": "", "words": []}]}], "utterances": [
                  {"start": 0.4, "end": 1.1, "channel": 0, "speaker": 0, "transcript": "Hi, I can't log in."},
                  {"start": 1.5, "end": 2.75, "channel": 0, "speaker": 1, "transcript": "Northwind Support, Nora speaking."}
                ]}}""";
        SpeakerMapping labels = new SpeakerMapping(SpeakerMapping.Strategy.LABEL,
                Map.of("speaker_0", ParticipantRole.USER, "speaker_1", ParticipantRole.AGENT), Map.of(), ParticipantRole.AGENT, List.of());

        assertThat(convertInline(json, labels).transcript()).extracting(TranscriptEntry::speaker)
                .containsExactly(ParticipantRole.USER, ParticipantRole.AGENT);
        assertThat(convertInline(json, SpeakerMapping.defaults()).transcript()).extracting(TranscriptEntry::speaker)
                .as("AUTO: the first speaker heard is the agent").containsExactly(ParticipantRole.AGENT, ParticipantRole.USER);
    }

    @Test
    void multichannelUtterancesAreAttributedByChannel() throws Exception {
        String json = """
                {"metadata": {"channels": 2}, "results": {"channels": [{"alternatives": []}, {"alternatives": []}], "utterances": [
                  {"start": 0.4, "end": 1.1, "channel": 1, "speaker": 0, "transcript": "Hello?"},
                  {"start": 1.5, "end": 2.75, "channel": 0, "speaker": 0, "transcript": "Northwind Support, Nora speaking."}
                ]}}""";

        assertThat(convertInline(json, SpeakerMapping.defaults()).transcript()).extracting(TranscriptEntry::speaker, TranscriptEntry::startOffsetMs)
                .containsExactly(tuple(ParticipantRole.USER, 400L), tuple(ParticipantRole.AGENT, 1500L));
    }

    @Test
    void secondsConvertExactlyFromTheirDecimalText() throws Exception {
        String json = """
                {"metadata": {"channels": 1}, "results": {"utterances": [
                  {"start": 0.29, "end": 1.2345, "channel": 0, "speaker": 0, "transcript": "a"},
                  {"start": 2.3999999, "end": 3.14, "channel": 0, "speaker": 1, "transcript": "b"},
                  {"start": 3.0004999999999999999, "end": 3.0005000000000000001, "channel": 0, "speaker": 1, "transcript": "c"}
                ]}}""";

        // half-up to whole ms (1.2345 → 1235, float noise 2.3999999 → 2400); read as doubles, the third pair would be
        // 3.0005 twice (→ 3001, 3001): the decimal text decides, not the nearest double
        assertThat(parser.parse(inline(json)).utterances()).extracting(Utterance::startMs, Utterance::endMs)
                .containsExactly(tuple(290L, 1235L), tuple(2400L, 3140L), tuple(3000L, 3001L));
    }

    @Test
    void rejectsTheBrokenSampleNamingTheEntry() {
        assertThatThrownBy(() -> convertSample("broken/deepgram-utterance-time-not-a-number.json", null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.results.utterances[3].end");
                    assertThat(e.getMessage()).isEqualTo("results.utterances[3].end is \"13.124s\", expected a number of seconds, in "
                            + "broken/deepgram-utterance-time-not-a-number.json");
                });
    }

    @Test
    void rejectsAWordThatEndsBeforeItStarts() {
        String json = """
                {"metadata": {"channels": 2}, "results": {"channels": [{"alternatives": [{"words": [
                  {"word": "hello", "start": 1.0, "end": 1.4}, {"word": "there", "start": 1.5, "end": 1.45}]}]}, {"alternatives": []}]}}""";

        assertThatThrownBy(() -> convertInline(json, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.results.channels[0].alternatives[0].words[1].end");
            assertThat(e.getMessage()).isEqualTo("results.channels[0].alternatives[0].words[1] ends at 1450 ms, before it starts at 1500 ms, "
                    + "in inline.json");
        });
    }

    @Test
    void refusesASingleChannelTranscriptWithoutSpeakersAsNotSayingWhoSpoke() {
        String json = """
                {"metadata": {"channels": 1}, "results": {"channels": [{"alternatives": [{"words": [
                  {"word": "hello", "start": 1.0, "end": 1.4}]}]}]}}""";

        assertThatThrownBy(() -> convertInline(json, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.results.channels[0].alternatives[0].words[0]");
            assertThat(e.getMessage()).isEqualTo("inline.json (deepgram) does not say who spoke: its one utterance, "
                    + "results.channels[0].alternatives[0].words[0], has a speaker label or a channel (Deepgram gives them with "
                    + "diarize=true, or multichannel=true on a recording with a channel per side). If the whole transcript is one side "
                    + "of the call, name that side with transcript.speakers.unlabelled: AGENT or USER in the job file");
        });
    }

    @Test
    void rejectsAnUtteranceWithoutTranscriptOrWithAFractionalSpeaker() {
        String noText = """
                {"metadata": {}, "results": {"utterances": [{"start": 1, "end": 2, "speaker": 0}]}}""";
        String fractional = """
                {"metadata": {}, "results": {"utterances": [{"start": 1, "end": 2, "speaker": 0.5, "transcript": "x"}]}}""";

        assertThatThrownBy(() -> convertInline(noText, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.results.utterances[0].transcript");
            assertThat(e.getMessage()).isEqualTo("results.utterances[0].transcript is missing, expected a string, in inline.json");
        });
        assertThatThrownBy(() -> convertInline(fractional, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class,
                e -> assertThat(e.field()).isEqualTo("transcript.results.utterances[0].speaker"));
    }

    @Test
    void theDurationTheFileStatesBoundsTheUtterances() {
        String json = """
                {"metadata": {"duration": 3.5, "channels": 1}, "results": {"utterances": [
                  {"start": 0.5, "end": 1.5, "speaker": 0, "transcript": "Hello."},
                  {"start": 2.0, "end": 4.6, "speaker": 1, "transcript": "Hi."}]}}""";

        assertThatThrownBy(() -> convertInline(json, SpeakerMapping.defaults())).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.results.utterances[1]");
            assertThat(e.getMessage()).contains("ends at 4600 ms, after the end of the call (as the file states) at 3500 ms");
        });
    }

    @Test
    void claimsOnlyDeepgramFiles() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (Path file : SpeechFormatSamples.allSampleFiles()) {
            TranscriptInput input = SpeechFormatSamples.readOrNull(file);
            if (input != null && parser.accepts(input)) {
                accepted.add(input.shownAs());
            }
        }

        assertThat(accepted).containsExactlyInAnyOrder("transcripts/formats/deepgram/nw-2026-11-19-0005.json",
                "transcripts/formats/deepgram/nw-2026-11-19-0006.json", "transcripts/formats/broken/deepgram-utterance-time-not-a-number.json");
    }
}
