package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class WebVttParserTests {
    private static final Path TRANSCRIPTS = Path.of("sample-data/transcripts");
    private static final Path SAMPLE = TRANSCRIPTS.resolve("formats/webvtt/nw-2026-11-19-0008.vtt");
    /** Length of sample-data/recordings/nw-2026-11-19-0008.wav (23.2825 s). */
    private static final long RECORDING_MS = 23_282;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TranscriptConverter converter = new TranscriptConverter();
    private final WebVttParser parser = new WebVttParser();

    // ------------------------------------------------------------------------------ the sample call

    @Test
    void convertsTheSampleCallToItsBluejayTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(SAMPLE, "formats/webvtt/nw-2026-11-19-0008.vtt", null,
                SpeakerMapping.defaults(), RECORDING_MS);

        List<TranscriptEntry> expected = bluejay("nw-2026-11-19-0008");
        // WebVTT cannot mark a filler; "One moment while I check that." is more than the default filler words
        assertThat(expected.get(4).fillerUtterance()).isTrue();
        expected.set(4, withFiller(expected.get(4), null));
        assertThat(conversion.format()).isEqualTo(TranscriptFormat.WEBVTT);
        assertThat(conversion.transcript()).containsExactlyElementsOf(expected);
        assertThat(conversion.toolCalls()).isEmpty();
    }

    @Test
    void marksTheSampleFillerWhenTheJobListsThePhrase() throws Exception {
        SpeakerMapping speakers = new SpeakerMapping(SpeakerMapping.Strategy.AUTO, Map.of(), Map.of(), ParticipantRole.AGENT,
                List.of("one moment while I check that"));

        TranscriptConverter.Conversion conversion = converter.convert(SAMPLE, "x.vtt", null, speakers, RECORDING_MS);

        assertThat(conversion.transcript()).containsExactlyElementsOf(bluejay("nw-2026-11-19-0008"));
    }

    @Test
    void keepsTheVoiceNamesAsTheSpeakers() throws Exception {
        List<Utterance> utterances = parser.parse(TranscriptInput.read(SAMPLE, "x.vtt")).utterances();

        assertThat(utterances).extracting(Utterance::speaker).containsExactly("Nora (Northwind AI)", "Lena Novak",
                "Nora (Northwind AI)", "Lena Novak", "Nora (Northwind AI)", "Nora (Northwind AI)", "Lena Novak");
        assertThat(utterances).extracting(Utterance::role).containsOnlyNulls();
        assertThat(utterances.get(0).where()).isEqualTo("cue 1 (line 3)");
    }

    @Test
    void rejectsTheBrokenSampleNamingTheCue() {
        Path broken = TRANSCRIPTS.resolve("formats/broken/webvtt-comma-milliseconds.vtt");

        assertThatThrownBy(() -> converter.convert(broken, "broken/webvtt-comma-milliseconds.vtt", null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.cue 3 (line 11)");
                    assertThat(e.getMessage()).isEqualTo("cue 3 (line 11): timing line 12 is \"00:00:07,734 --> 00:00:10.867\", expected "
                            + "hh:mm:ss.mmm --> hh:mm:ss.mmm (hours optional, minutes and seconds 00-59) (a comma before the milliseconds is "
                            + "SRT; WebVTT uses a dot), in broken/webvtt-comma-milliseconds.vtt");
                });
    }

    // ------------------------------------------------------------------------------ shapes

    @Test
    void skipsHeaderNoteStyleAndRegionBlocksAndCueSettings() throws Exception {
        List<Utterance> utterances = parse("""
                WEBVTT - Northwind support line
                Kind: captions
                Language: en

                NOTE
                Transcription provided by Deepgram
                Duration: 25.933313

                STYLE
                ::cue(v[voice="Agent"]) { color: yellow }

                REGION
                id:bottom width:100%

                00:00:00.080 --> 00:00:03.220 region:bottom align:start position:10%
                <v Speaker 0>Northwind Support.

                NOTE a comment between cues

                intro-2
                00:00:04.400 --> 00:00:05.779
                <v Speaker 1>Hi.
                """);

        assertThat(utterances).containsExactly(
                new Utterance("cue 1 (line 15)", "Speaker 0", null, null, 80, 3220, "Northwind Support.", null),
                new Utterance("cue 2 (line 20)", "Speaker 1", null, null, 4400, 5779, "Hi.", null));
    }

    @Test
    void readsTimesWithoutHours() throws Exception {
        Utterance u = parse("WEBVTT\n\n00:01.000 --> 01:02.500\nHello\n").get(0);

        assertThat(u.startMs()).isEqualTo(1000);
        assertThat(u.endMs()).isEqualTo(62_500);
    }

    @Test
    void readsHoursOfMoreThanTwoDigits() throws Exception {
        Utterance u = parse("WEBVTT\n\n01:00:00.001 --> 101:00:00.000\nHello\n").get(0);

        assertThat(u.startMs()).isEqualTo(3_600_001);
        assertThat(u.endMs()).isEqualTo(363_600_000);
    }

    @Test
    void stripsTagsAndDecodesCharacterReferences() throws Exception {
        Utterance u = parse("""
                WEBVTT

                00:00:01.000 --> 00:00:04.000
                <v.loud.agent Nora &amp; Co><i>Fish</i> &amp; <b>chips</b>&nbsp;&lt;3 &gt; <c.yellow>all</c>,
                <00:00:02.500><lang en>caf&#233; &#x2014; <ruby>ok<rt>o</rt></ruby> &unknown; &quot;x&apos;</lang></v>
                """).get(0);

        assertThat(u.speaker()).isEqualTo("Nora & Co");
        assertThat(u.text()).isEqualTo("Fish & chips <3 > all, café — oko &unknown; \"x'");
    }

    @Test
    void joinsPayloadLinesWithASpace() throws Exception {
        Utterance u = parse("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Nora>Your subscription\nis cancelled.\n").get(0);

        assertThat(u.text()).isEqualTo("Your subscription is cancelled.");
        assertThat(u.speaker()).isEqualTo("Nora");
    }

    @Test
    void readsCrLfAndCrLineEndsAndAByteOrderMark() throws Exception {
        String body = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Agent>Hi</v>\r\n\r\n00:00:03.000 --> 00:00:04.000\r<v Customer>Hello</v>\r";
        TranscriptInput input = TranscriptInput.of(Path.of("t.vtt"), "t.vtt", ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8));

        assertThat(parser.accepts(input)).isTrue();
        assertThat(parser.parse(input).utterances()).extracting(Utterance::text).containsExactly("Hi", "Hello");
    }

    @Test
    void skipsCuesWithoutText() throws Exception {
        assertThat(parse("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Nora></v>\n\n00:00:03.000 --> 00:00:04.000\nHello\n"))
                .extracting(Utterance::where).containsExactly("cue 2 (line 6)");
    }

    @Test
    void aFileWithoutVoicesOrNamesDoesNotSayWhoSpokeUnlessTheJobNamesTheRole() throws Exception {
        String vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nNorthwind Support.\n\n00:00:03.000 --> 00:00:04.000\nHi, it's Lena.\n";
        assertThat(parse(vtt)).extracting(Utterance::speaker).containsOnlyNulls();

        assertRejected(vtt, "transcript.cue 1 (line 3)", "t.vtt (webvtt) does not say who spoke: none of its 2 utterances, from cue 1 "
                + "(line 3) on, has a speaker label or a channel (a cue names its speaker with <v Name> or a Name: prefix). If the whole "
                + "transcript is one side of the call, name that side with transcript.speakers.unlabelled: AGENT or USER in the job file");
        assertThat(converter.convert(input(vtt), null, SpeakerMapping.defaults().withUnlabelled(ParticipantRole.USER), null).transcript())
                .extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.USER, ParticipantRole.USER);
    }

    @Test
    void readsZoomsNamePrefixesAsTheSpeakers() throws Exception {
        List<Utterance> utterances = parse("""
                WEBVTT

                1
                00:00:00.050 --> 00:00:01.790
                Priya Raman: Hi!

                2
                00:00:02.070 --> 00:00:04.050
                Dr. Ana Ruiz: Note: we start at 10:30.

                3
                00:05:07.300 --> 00:05:07.980
                Right.
                """);

        assertThat(utterances).extracting(Utterance::speaker, Utterance::text).containsExactly(tuple("Priya Raman", "Hi!"),
                tuple("Dr. Ana Ruiz", "Note: we start at 10:30."), tuple(null, "Right."));
        assertThat(convert("""
                WEBVTT

                00:00:00.050 --> 00:00:01.790
                Priya Raman: Hi!

                00:00:02.070 --> 00:00:04.050
                Liam Byrne: Let's get started.

                00:00:05.140 --> 00:00:08.310
                Priya Raman: Hello!
                """)).extracting(TranscriptEntry::speaker, TranscriptEntry::utterance).containsExactly(
                tuple(ParticipantRole.AGENT, "Hi!"), tuple(ParticipantRole.USER, "Let's get started."), tuple(ParticipantRole.AGENT, "Hello!"));
    }

    @Test
    void readsNoNamePrefixWhereFewCuesHaveOneOrACueHasAVoice() throws Exception {
        List<Utterance> utterances = parse("""
                WEBVTT

                00:00:01.000 --> 00:00:02.000
                Note: the line was noisy.

                00:00:03.000 --> 00:00:04.000
                Call me at 10:30 please.

                00:00:05.000 --> 00:00:06.000
                So, to be clear: yes.
                """);
        assertThat(utterances).extracting(Utterance::speaker).containsOnlyNulls();
        assertThat(utterances).extracting(Utterance::text).first().isEqualTo("Note: the line was noisy.");

        assertThat(parse("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Nora>Agent: hello\n")).extracting(Utterance::speaker, Utterance::text)
                .containsExactly(tuple("Nora", "Agent: hello"));
    }

    @Test
    void givesAnUnnamedVoiceTheRoleTheNamedVoiceLeavesWhoeverSpeaksFirst() throws Exception {
        List<TranscriptEntry> entries = convert("""
                WEBVTT

                00:00:01.000 --> 00:00:02.000
                <v Lena Novak>Hello?

                00:00:03.000 --> 00:00:04.000
                <v Nora (Northwind AI)>Northwind Support, this is Nora.
                """);

        assertThat(entries).extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.USER, ParticipantRole.AGENT);
    }

    @Test
    void rejectsAThirdSpeakerBesidesANamedVoice() {
        assertThatThrownBy(() -> convert("""
                WEBVTT

                00:00:01.000 --> 00:00:02.000
                <v Nora (Northwind AI)>Northwind Support.

                00:00:03.000 --> 00:00:04.000
                <v Lena Novak>Hi.

                00:00:05.000 --> 00:00:06.000
                <v Tom Novak>Me too.
                """)).isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.cue 3 (line 9)");
                    assertThat(e.getMessage()).contains("third speaker (Tom Novak)").contains("Lena Novak").contains("t.vtt");
                });
    }

    @Test
    void firstSpeakerStrategyIgnoresRoleNames() throws Exception {
        SpeakerMapping firstSpeaker = new SpeakerMapping(SpeakerMapping.Strategy.FIRST_SPEAKER, Map.of(), Map.of(), ParticipantRole.AGENT,
                List.of());

        TranscriptConverter.Conversion conversion = converter.convert(input("""
                WEBVTT

                00:00:01.000 --> 00:00:02.000
                <v Lena Novak>Hello?

                00:00:03.000 --> 00:00:04.000
                <v Nora (Northwind AI)>Northwind Support.
                """), null, firstSpeaker, null);

        assertThat(conversion.transcript()).extracting(TranscriptEntry::speaker).containsExactly(ParticipantRole.AGENT, ParticipantRole.USER);
    }

    // ------------------------------------------------------------------------------ rejections

    @Test
    void rejectsACueWithTwoVoices() {
        assertRejected("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Nora>Hi</v> <v Lena>Hello</v>\n", "transcript.cue 1 (line 3)",
                "cue 1 (line 3) has voices Nora and Lena; calleval reads one speaker per cue, in t.vtt");
    }

    @Test
    void rejectsMinutesAboveFiftyNine() {
        assertRejected("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi\n\n2\n00:60:00.000 --> 01:00:01.000\nBye\n", "transcript.cue 2 (line 7)",
                "cue 2 (line 7): timing line 8 is \"00:60:00.000 --> 01:00:01.000\", expected hh:mm:ss.mmm --> hh:mm:ss.mmm "
                        + "(hours optional, minutes and seconds 00-59), in t.vtt");
    }

    @Test
    void rejectsANonNumericTime() {
        assertRejected("WEBVTT\n\n00:00:0a.000 --> 00:00:02.000\nHi\n", "transcript.cue 1 (line 3)", "\"00:00:0a.000 --> 00:00:02.000\"");
    }

    @Test
    void rejectsACueThatEndsBeforeItStarts() {
        assertRejected("WEBVTT\n\n00:00:05.000 --> 00:00:04.000\n<v Agent>Hi\n", "transcript.cue 1 (line 3)",
                "cue 1 (line 3) ends at 4000 ms, before it starts at 5000 ms, in t.vtt");
    }

    @Test
    void rejectsABlockThatIsNeitherACueNorANote() {
        assertRejected("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\nstray text\nmore\n", "transcript.cue 2 (line 6)",
                "line 6 \"stray text\" starts a block that is neither a cue");
    }

    @Test
    void rejectsATimingLineInsideACueText() {
        assertRejected("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n00:00:03.000 --> 00:00:04.000\nBye\n", "transcript.cue 1 (line 3)",
                "cue 1 (line 3): line 5 \"00:00:03.000 --> 00:00:04.000\" is a timing line inside the cue's text; separate cues with a blank line");
    }

    @Test
    void rejectsAFileWithoutCues() {
        assertThatThrownBy(() -> convert("WEBVTT\n\nNOTE nothing said\n")).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript");
            assertThat(e.getMessage()).isEqualTo("t.vtt (webvtt) holds no utterances");
        });
    }

    // ------------------------------------------------------------------------------ detection

    @Test
    void acceptsOnlyAWebVttFirstLine() throws Exception {
        assertThat(parser.accepts(input("WEBVTT\n"))).isTrue();
        assertThat(parser.accepts(input("WEBVTT\tNorthwind\n\n00:01.000 --> 00:02.000\nHi\n"))).isTrue();
        assertThat(parser.accepts(input("WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("\nWEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("1\n00:00:01,000 --> 00:00:02,000\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("[{\"text\": \"WEBVTT\"}]"))).isFalse();
    }

    @Test
    void claimsNoOtherFormatsFilesAndNoOtherParserClaimsWebVtt() throws IOException {
        List<Path> claimed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TRANSCRIPTS)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                TranscriptInput input;
                try {
                    input = TranscriptInput.read(file, file.toString());
                } catch (TranscriptException unreadable) {
                    continue; // no parser sees a file that cannot be read (a deliberately broken JSON file)
                }
                if (parser.accepts(input)) {
                    claimed.add(TRANSCRIPTS.relativize(file));
                    assertThat(TranscriptParsers.all()).filteredOn(p -> p.format() != TranscriptFormat.WEBVTT)
                            .as("parsers other than webvtt accepting %s", file).noneMatch(p -> p.accepts(input));
                }
            }
        }
        assertThat(claimed).containsExactly(Path.of("formats/broken/webvtt-comma-milliseconds.vtt"),
                Path.of("formats/webvtt/nw-2026-11-19-0008.vtt"));
    }

    // ------------------------------------------------------------------------------ helpers

    private List<Utterance> parse(String vtt) throws TranscriptException {
        return parser.parse(input(vtt)).utterances();
    }

    private List<TranscriptEntry> convert(String vtt) throws TranscriptException {
        return converter.convert(input(vtt), null, SpeakerMapping.defaults(), null).transcript();
    }

    private void assertRejected(String vtt, String field, String message) {
        assertThatThrownBy(() -> convert(vtt)).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static TranscriptInput input(String text) throws TranscriptException {
        return TranscriptInput.of(Path.of("t.vtt"), "t.vtt", text.getBytes(StandardCharsets.UTF_8));
    }

    /** The call's Bluejay sample transcript, read independently of the production readers. */
    static List<TranscriptEntry> bluejay(String callId) throws IOException {
        JsonNode entries = JSON.readTree(Files.readString(TRANSCRIPTS.resolve(callId + ".json")));
        List<TranscriptEntry> out = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode filler = e.get("filler_utterance");
            out.add(new TranscriptEntry(e.get("start_offset_ms").longValue(), e.get("end_offset_ms").longValue(),
                    ParticipantRole.valueOf(e.get("speaker").asString()), e.get("utterance").asString(),
                    filler == null || filler.isNull() ? null : filler.booleanValue()));
        }
        return out;
    }

    private static TranscriptEntry withFiller(TranscriptEntry e, Boolean filler) {
        return new TranscriptEntry(e.startOffsetMs(), e.endOffsetMs(), e.speaker(), e.utterance(), filler);
    }
}
