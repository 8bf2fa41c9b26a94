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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SrtParserTests {
    private static final Path TRANSCRIPTS = Path.of("sample-data/transcripts");
    private static final Path SAMPLE = TRANSCRIPTS.resolve("formats/srt/nw-2026-11-19-0009.srt");
    /** Length of sample-data/recordings/nw-2026-11-19-0009.wav (20.563625 s). */
    private static final long RECORDING_MS = 20_563;

    private final TranscriptConverter converter = new TranscriptConverter();
    private final SrtParser parser = new SrtParser();

    // ------------------------------------------------------------------------------ the sample call

    @Test
    void convertsTheSampleCallToItsBluejayTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(SAMPLE, "formats/srt/nw-2026-11-19-0009.srt", null,
                SpeakerMapping.defaults(), RECORDING_MS);

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.SRT);
        assertThat(conversion.transcript()).containsExactlyElementsOf(WebVttParserTests.bluejay("nw-2026-11-19-0009"));
        assertThat(conversion.toolCalls()).isEmpty();
    }

    @Test
    void keepsTheLabelsAsTheSpeakersAndJoinsWrappedLines() throws Exception {
        byte[] bytes = Files.readAllBytes(SAMPLE);
        assertThat(new String(bytes, 0, 3, StandardCharsets.UTF_8)).as("byte order mark").isEqualTo("\uFEFF");
        assertThat(new String(bytes, StandardCharsets.UTF_8)).as("CRLF line ends").contains("\r\n").doesNotContain("\n\n");

        List<Utterance> utterances = parser.parse(TranscriptInput.read(SAMPLE, "x.srt")).utterances();

        assertThat(utterances).extracting(Utterance::speaker).containsExactly("Nora (Northwind AI)", "Carlos Mendoza",
                "Nora (Northwind AI)", "Carlos Mendoza", "Nora (Northwind AI)");
        assertThat(utterances).extracting(Utterance::where).containsExactly("cue 1 (line 1)", "cue 2 (line 7)", "cue 3 (line 12)",
                "cue 4 (line 17)", "cue 5 (line 21)");
        assertThat(utterances.get(0).text()).isEqualTo("Northwind Support. I'm Nora, a virtual assistant. How can I help?");
    }

    @Test
    void rejectsTheBrokenSampleNamingTheCue() {
        Path broken = TRANSCRIPTS.resolve("formats/broken/srt-end-before-start.srt");

        assertThatThrownBy(() -> converter.convert(broken, "broken/srt-end-before-start.srt", null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.cue 3 (line 12)");
                    assertThat(e.getMessage()).isEqualTo("cue 3 (line 12) ends at 9328 ms, before it starts at 10328 ms, in "
                            + "broken/srt-end-before-start.srt");
                });
    }

    // ------------------------------------------------------------------------------ speaker labels

    @Test
    void readsColonAndBracketLabels() throws Exception {
        List<Utterance> utterances = parse("""
                1
                00:00:01,000 --> 00:00:02,000
                AGENT: Hello

                2
                00:00:03,000 --> 00:00:04,000
                [Customer] Hi there

                3
                00:00:05,000 --> 00:00:06,000
                Speaker 1:   Yes.
                """);

        assertThat(utterances).extracting(Utterance::speaker).containsExactly("AGENT", "Customer", "Speaker 1");
        assertThat(utterances).extracting(Utterance::text).containsExactly("Hello", "Hi there", "Yes.");
        assertThat(convert(utterances)).extracting(TranscriptEntry::speaker)
                .containsExactly(ParticipantRole.AGENT, ParticipantRole.USER, ParticipantRole.AGENT);
    }

    @Test
    void aLabelAloneOnItsLineNamesTheSpeakerUntilTheNextLabel() throws Exception {
        // Deepgram's SRT: "[speaker N]" on a line of its own, written only when the speaker changes
        List<Utterance> utterances = parse("""
                1
                00:00:00,080 --> 00:00:04,120
                [speaker 0]
                Yeah. As as much as, it's worth celebrating,

                2
                00:00:04,400 --> 00:00:08,200
                the first, spacewalk,

                3
                00:00:08,475 --> 00:00:12,340
                [speaker 1]
                with an all female team,
                """);

        assertThat(utterances).extracting(Utterance::speaker).containsExactly("speaker 0", "speaker 0", "speaker 1");
        assertThat(utterances).extracting(Utterance::text)
                .containsExactly("Yeah. As as much as, it's worth celebrating,", "the first, spacewalk,", "with an all female team,");
    }

    @Test
    void cuesBeforeAnyLabelHaveNoSpeaker() throws Exception {
        assertThat(parse("1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nNora: Hi\n"))
                .extracting(Utterance::speaker).containsExactly(null, "Nora");
    }

    @Test
    void doesNotReadSentencesOrClockTimesAsLabels() throws Exception {
        List<Utterance> utterances = parse("""
                1
                00:00:01,000 --> 00:00:02,000
                Call me at 10:30 please.

                2
                00:00:03,000 --> 00:00:04,000
                So, to be clear: yes.

                3
                00:00:05,000 --> 00:00:06,000
                Thanks. One thing: the ZIP.

                4
                00:00:07,000 --> 00:00:08,000
                What I mean to say is: no.
                """);

        assertThat(utterances).extracting(Utterance::speaker).containsOnlyNulls();
        assertThat(utterances).extracting(Utterance::text)
                .containsExactly("Call me at 10:30 please.", "So, to be clear: yes.", "Thanks. One thing: the ZIP.", "What I mean to say is: no.");
    }

    @Test
    void readsNamesWithSpacesAndTitlesAsZoomWritesThem() throws Exception {
        List<Utterance> utterances = parse("""
                1
                00:00:00,050 --> 00:00:01,790
                Priya Raman: Hi!

                2
                00:00:02,070 --> 00:00:04,050
                Dr. Ana Ruiz: Note: we start at 10:30.

                3
                00:00:05,000 --> 00:00:06,000
                Right.
                """);

        // SRT keeps a speaker until the next label
        assertThat(utterances).extracting(Utterance::speaker).containsExactly("Priya Raman", "Dr. Ana Ruiz", "Dr. Ana Ruiz");
        assertThat(utterances).extracting(Utterance::text).containsExactly("Hi!", "Note: we start at 10:30.", "Right.");
    }

    @Test
    void aSentenceLikeALabelInAFileWithoutLabelsStaysText() throws Exception {
        String srt = """
                1
                00:00:01,000 --> 00:00:02,000
                Note: the line was noisy.

                2
                00:00:03,000 --> 00:00:04,000
                Can you hear me?

                3
                00:00:05,000 --> 00:00:06,000
                Yes.
                """;
        List<Utterance> utterances = parse(srt);

        assertThat(utterances).extracting(Utterance::speaker).containsOnlyNulls();
        assertThat(utterances).extracting(Utterance::text).first().isEqualTo("Note: the line was noisy.");
        assertThatThrownBy(() -> new TranscriptConverter().convert(input(srt), null, SpeakerMapping.defaults(), null)).isInstanceOfSatisfying(TranscriptException.class, e -> {
            assertThat(e.field()).isEqualTo("transcript.cue 1 (line 1)");
            assertThat(e.getMessage()).isEqualTo("t.srt (srt) does not say who spoke: none of its 3 utterances, from cue 1 (line 1) on, has "
                    + "a speaker label or a channel (a cue names its speaker with a Name: or [Name] prefix). If the whole transcript is one "
                    + "side of the call, name that side with transcript.speakers.unlabelled: AGENT or USER in the job file");
        });
    }

    // ------------------------------------------------------------------------------ shapes

    @Test
    void acceptsADotBeforeTheMillisecondsAndCoordinatesAfterTheEnd() throws Exception {
        Utterance u = parse("1\n01:02:03.004 --> 01:02:04,500  X1:100 X2:600 Y1:20 Y2:50\nHi\n").get(0);

        assertThat(u.startMs()).isEqualTo(3_723_004);
        assertThat(u.endMs()).isEqualTo(3_724_500);
    }

    @Test
    void removesFormattingTags() throws Exception {
        Utterance u = parse("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Nora:</i> <font color=\"#ffff00\">Fish</font> &amp; <B>chips</B>\n").get(0);

        assertThat(u.speaker()).isEqualTo("Nora");
        assertThat(u.text()).isEqualTo("Fish &amp; chips");
    }

    @Test
    void readsCueNumbersAfterLeadingBlankLinesCrLineEndsAndMissingSeparators() throws Exception {
        List<Utterance> utterances = parse("\r\n\r\n7\r00:00:01,000 --> 00:00:02,000\rHello\r\rthere\r8\r00:00:03,000 --> 00:00:04,000\rBye\r");

        assertThat(utterances).extracting(Utterance::where).containsExactly("cue 7 (line 3)", "cue 8 (line 8)");
        assertThat(utterances).extracting(Utterance::text).containsExactly("Hello there", "Bye");
    }

    @Test
    void skipsCuesWithoutText() throws Exception {
        assertThat(parse("1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n2\n00:00:03,000 --> 00:00:04,000\nHi\n"))
                .extracting(Utterance::where).containsExactly("cue 2 (line 5)");
    }

    // ------------------------------------------------------------------------------ rejections

    @Test
    void rejectsANonNumericTimeNamingCueAndLine() {
        assertRejected("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:0x,000 --> 00:00:04,000\nBye\n", "transcript.cue 2 (line 5)",
                "cue 2 (line 5): timing line 6 is \"00:00:0x,000 --> 00:00:04,000\", expected hh:mm:ss,mmm --> hh:mm:ss,mmm "
                        + "(minutes and seconds 00-59), in t.srt");
    }

    @Test
    void rejectsSecondsAboveFiftyNine() {
        assertRejected("1\n00:00:60,000 --> 00:01:02,000\nHi\n", "transcript.cue 1 (line 1)", "\"00:00:60,000 --> 00:01:02,000\"");
    }

    @Test
    void rejectsATimeWithoutMilliseconds() {
        assertRejected("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:03 --> 00:00:04\nBye\n", "transcript.cue 2 (line 5)",
                "\"00:00:03 --> 00:00:04\"");
    }

    @Test
    void rejectsATimingLineWithoutACueNumber() {
        assertRejected("1\n00:00:01,000 --> 00:00:02,000\nHi\n\n00:00:03,000 --> 00:00:04,000\nBye\n", "transcript.cue 1 (line 1)",
                "cue 1 (line 1): line 5 \"00:00:03,000 --> 00:00:04,000\" looks like a timing line but no cue number comes before it, in t.srt");
    }

    @Test
    void rejectsAnUnlistedLabelUnderTheLabelStrategy() {
        SpeakerMapping byLabel = new SpeakerMapping(SpeakerMapping.Strategy.LABEL,
                java.util.Map.of("Nora (Northwind AI)", ParticipantRole.AGENT), java.util.Map.of(), ParticipantRole.AGENT, List.of());

        assertThatThrownBy(() -> converter.convert(input("1\n00:00:01,000 --> 00:00:02,000\nNora (Northwind AI): Hi\n\n"
                + "2\n00:00:03,000 --> 00:00:04,000\n[laughs] Hello\n"), null, byLabel, null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo("transcript.cue 2 (line 5)");
                    assertThat(e.getMessage()).contains("speaker 'laughs' is not mapped");
                });
    }

    // ------------------------------------------------------------------------------ detection

    @Test
    void acceptsOnlyACueNumberFollowedByAnSrtTimingLine() throws Exception {
        assertThat(parser.accepts(input("1\n00:00:01,000 --> 00:00:02,000\nHi\n"))).isTrue();
        assertThat(parser.accepts(input("\n\n 12 \n00:00:01.000 --> 00:00:02.000\nHi\n"))).isTrue();
        assertThat(parser.accepts(input("1\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("1\n00:01,000 --> 00:02,000\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("00:00:01,000 --> 00:00:02,000\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHi\n"))).isFalse();
        assertThat(parser.accepts(input("[1]"))).isFalse();
    }

    @Test
    void claimsNoOtherFormatsFilesAndNoOtherParserClaimsSrt() throws IOException {
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
                    assertThat(TranscriptParsers.all()).filteredOn(p -> p.format() != TranscriptFormat.SRT)
                            .as("parsers other than srt accepting %s", file).noneMatch(p -> p.accepts(input));
                }
            }
        }
        assertThat(claimed).containsExactly(Path.of("formats/broken/srt-end-before-start.srt"), Path.of("formats/srt/nw-2026-11-19-0009.srt"));
    }

    // ------------------------------------------------------------------------------ helpers

    private List<Utterance> parse(String srt) throws TranscriptException {
        return parser.parse(input(srt)).utterances();
    }

    private List<TranscriptEntry> convert(List<Utterance> utterances) throws TranscriptException {
        TranscriptParser fixed = new TranscriptParser() {
            @Override
            public TranscriptFormat format() {
                return TranscriptFormat.SRT;
            }

            @Override
            public boolean accepts(TranscriptInput input) {
                return true;
            }

            @Override
            public ParsedTranscript parse(TranscriptInput input) {
                return new ParsedTranscript(TranscriptFormat.SRT, utterances, List.of(), null);
            }
        };
        return new TranscriptConverter(List.of(fixed)).convert(input("1"), null, SpeakerMapping.defaults(), null).transcript();
    }

    private void assertRejected(String srt, String field, String message) {
        assertThatThrownBy(() -> converter.convert(input(srt), null, SpeakerMapping.defaults(), null))
                .isInstanceOfSatisfying(TranscriptException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static TranscriptInput input(String text) throws TranscriptException {
        return TranscriptInput.of(Path.of("t.srt"), "t.srt", text.getBytes(StandardCharsets.UTF_8));
    }
}
