package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider transcripts of {@code ../shared/real-transcripts/files/}: 19 files written by real tools, found in public
 * repositories (provenance in that folder's README). They are read from there, never copied into this repository; the
 * tests skip when the folder is absent. Each file gets the verdict the README's table gives it: accepted with the
 * roles listed, refused because nobody can tell who spoke, or refused for a third speaker.
 */
@EnabledIf(value = "present", disabledReason = "../shared/real-transcripts/files/ is absent: the real provider transcripts are not "
        + "part of this repository (see the issue 'Real files, strict configuration, database outages')")
class RealTranscriptsTests {
    static final Path FOLDER = Path.of("..", "shared", "real-transcripts", "files");

    private static final Set<ParticipantRole> BOTH = EnumSet.allOf(ParticipantRole.class);

    private final TranscriptConverter converter = new TranscriptConverter();

    static boolean present() {
        return Files.isDirectory(FOLDER);
    }

    /** What the pipeline must do with a file. */
    sealed interface Verdict {}

    /** Converted; the roles of its utterances. */
    record Accepted(Set<ParticipantRole> roles) implements Verdict {}

    /** Refused with the shared message: the file does not say who spoke. */
    record NobodySaidWhoSpoke() implements Verdict {}

    /** Refused: more than two people speak and the job does not map them. */
    record ThirdSpeaker() implements Verdict {}

    record Case(String file, TranscriptFormat format, Verdict verdict) {
        @Override
        public String toString() {
            return file + " → " + verdict;
        }
    }

    static List<Case> cases() {
        Verdict nobody = new NobodySaidWhoSpoke();
        Verdict third = new ThirdSpeaker();
        return List.of(
                new Case("aws-tscribe-01-plain-no-labels.json", TranscriptFormat.AWS_TRANSCRIBE, nobody),
                new Case("aws-tscribe-02-channel-identification.json", TranscriptFormat.AWS_TRANSCRIBE, new Accepted(BOTH)),
                new Case("aws-tscribe-03-speaker-identification-3spk.json", TranscriptFormat.AWS_TRANSCRIBE, third),
                new Case("aws-tscribe-10-speakers-alternatives.json", TranscriptFormat.AWS_TRANSCRIBE, third),
                new Case("aws-transcritter-es-two-speakers.json", TranscriptFormat.AWS_TRANSCRIBE, new Accepted(BOTH)),
                new Case("contact-lens-scv-postcall-v1.1.0.json", TranscriptFormat.CONTACT_LENS, new Accepted(BOTH)),
                new Case("deepgram-nova3-call-diarized-utterances.json", TranscriptFormat.DEEPGRAM, new Accepted(BOTH)),
                new Case("deepgram-captions-dg_speakers.json", TranscriptFormat.DEEPGRAM, third),
                new Case("deepgram-captions-dg_speakers_no_utterances.json", TranscriptFormat.DEEPGRAM, third),
                new Case("deepgram-captions-dg_utterances-no-diarize.json", TranscriptFormat.DEEPGRAM, nobody),
                new Case("webvtt-deepgram-captions-speakers.vtt", TranscriptFormat.WEBVTT, third),
                new Case("srt-deepgram-captions-speakers.srt", TranscriptFormat.SRT, third),
                new Case("webvtt-zoom-GMT20240124-202901.transcript.vtt", TranscriptFormat.WEBVTT, third),
                new Case("assemblyai-captions-utterances-one-speaker.json", TranscriptFormat.ASSEMBLYAI,
                        new Accepted(EnumSet.of(ParticipantRole.AGENT))),
                new Case("assemblyai-gosdk-completed-no-speaker-labels.json", TranscriptFormat.ASSEMBLYAI, nobody),
                new Case("srt-assemblyai-gosdk-subtitles-no-speakers.srt", TranscriptFormat.SRT, nobody),
                new Case("vapi-lumin-eocr-fr-2024.json", TranscriptFormat.VAPI, new Accepted(BOTH)),
                new Case("vapi-finzie-eocr-2025.json", TranscriptFormat.VAPI, new Accepted(BOTH)),
                // the vendor's example: transcript_object holds one agent utterance (the 7 turns are only in the plain text)
                new Case("retell-docs-create-web-call-example.json", TranscriptFormat.RETELL, new Accepted(EnumSet.of(ParticipantRole.AGENT))));
    }

    @Test
    void everyFileOfTheFolderHasItsVerdict() throws IOException {
        Set<String> files;
        try (Stream<Path> listed = Files.list(FOLDER)) {
            files = listed.map(p -> p.getFileName().toString()).filter(name -> !name.equals("README.md")).collect(Collectors.toSet());
        }
        assertThat(files).hasSize(19);
        assertThat(cases()).extracting(Case::file).containsExactlyInAnyOrderElementsOf(files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void getsTheVerdictOfTheReadmeTable(Case c) throws Exception {
        TranscriptInput input = TranscriptInput.read(FOLDER.resolve(c.file()), c.file());
        assertThat(converter.detect(input)).isEqualTo(c.format());

        if (c.verdict() instanceof Accepted accepted) {
            TranscriptConverter.Conversion conversion = converter.convert(input, null, SpeakerMapping.defaults(), null);
            assertThat(conversion.transcript()).isNotEmpty();
            assertThat(roles(conversion)).isEqualTo(accepted.roles());
        } else if (c.verdict() instanceof NobodySaidWhoSpoke) {
            assertThatThrownBy(() -> converter.convert(input, null, SpeakerMapping.defaults(), null))
                    .isInstanceOfSatisfying(TranscriptException.class, e -> {
                        assertThat(e.getMessage()).startsWith(c.file() + " (" + c.format().id() + ") " + TranscriptConverter.NOBODY_SAID_WHO_SPOKE)
                                .contains("transcript.speakers.unlabelled");
                        assertThat(e.field()).startsWith("transcript.");
                    });
        } else {
            assertThatThrownBy(() -> converter.convert(input, null, SpeakerMapping.defaults(), null))
                    .isInstanceOfSatisfying(TranscriptException.class, e -> {
                        assertThat(e.getMessage()).contains("is spoken by a third speaker").contains("transcript.speakers.labels")
                                .endsWith("in " + c.file());
                        assertThat(e.field()).startsWith("transcript.");
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aSpeakerlessFileIsAcceptedAsTheRoleTheJobNames(Case c) throws Exception {
        if (!(c.verdict() instanceof NobodySaidWhoSpoke)) {
            return;
        }
        for (ParticipantRole role : ParticipantRole.values()) {
            TranscriptConverter.Conversion conversion = converter.convert(FOLDER.resolve(c.file()), c.file(), null,
                    SpeakerMapping.defaults().withUnlabelled(role), null);

            assertThat(conversion.transcript()).isNotEmpty();
            assertThat(roles(conversion)).containsExactly(role);
        }
    }

    @Test
    void zoomsNamePrefixesAreTheSpeakersAndLeaveTheText() throws Exception {
        String file = "webvtt-zoom-GMT20240124-202901.transcript.vtt";
        ParsedTranscript parsed = new WebVttParser().parse(TranscriptInput.read(FOLDER.resolve(file), file));
        Map<String, Long> cuesBySpeaker = parsed.utterances().stream().filter(u -> u.speaker() != null)
                .collect(Collectors.groupingBy(Utterance::speaker, Collectors.counting()));

        assertThat(parsed.utterances()).hasSize(102);
        assertThat(cuesBySpeaker).as("five named people").hasSize(5);
        assertThat(parsed.utterances()).filteredOn(u -> u.speaker() == null).as("one cue without a name").hasSize(1);
        assertThat(parsed.utterances()).as("the names are taken off the text")
                .noneMatch(u -> cuesBySpeaker.keySet().stream().anyMatch(name -> u.text().startsWith(name + ":")));

        // the job maps the people: the one who speaks most is the agent, the others and the unnamed cue the customer side
        String host = cuesBySpeaker.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<String, ParticipantRole> labels = cuesBySpeaker.keySet().stream()
                .collect(Collectors.toMap(name -> name, name -> name.equals(host) ? ParticipantRole.AGENT : ParticipantRole.USER));
        SpeakerMapping mapped = new SpeakerMapping(SpeakerMapping.Strategy.AUTO, labels, Map.of(), ParticipantRole.AGENT,
                SpeakerMapping.DEFAULT_FILLER_WORDS).withUnlabelled(ParticipantRole.USER);
        TranscriptConverter.Conversion conversion = converter.convert(FOLDER.resolve(file), file, null, mapped, null);

        assertThat(conversion.transcript()).hasSize(102);
        assertThat(conversion.transcript()).filteredOn(e -> e.speaker() == ParticipantRole.AGENT).hasSize(cuesBySpeaker.get(host).intValue());
    }

    private static Set<ParticipantRole> roles(TranscriptConverter.Conversion conversion) {
        Set<ParticipantRole> roles = EnumSet.noneOf(ParticipantRole.class);
        conversion.transcript().forEach(e -> roles.add(e.speaker()));
        return roles;
    }
}
