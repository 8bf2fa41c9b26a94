package dev.calleval.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@link SpeakerMapping}'s text normalisation and filler detection. */
class SpeakerMappingTests {
    /** What normalize did before it was written as a loop: the two regular expressions. */
    private static String byRegex(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]", " ").replaceAll("\\s+", " ").strip();
    }

    @Test
    void normalizeKeepsLettersNumbersAndApostrophesAndMakesEverythingElseOneSpace() {
        List<String> texts = List.of("", " ", "Okay.", "  Um,   uh...  ", "Let me CHECK!", "it's 48172\tthanks\n", "Ça va ? Très bien — merci",
                "Ⅻ ½ ٣ 𝟘 𝒜bc", "a\u00A0b\u2003c", "emoji 😀 end", "'''", "x-y_z/1.5", "İstanbul", "ﬁne", "\u0000\u001Fctrl", "日本語のテキスト。はい");
        for (String text : texts) {
            assertThat(SpeakerMapping.normalize(text)).as(text).isEqualTo(byRegex(text));
        }
        assertThat(SpeakerMapping.normalize("  Um,   uh...  ")).isEqualTo("um uh");
    }

    @Test
    void anUtteranceMadeOnlyOfFillerWordsIsAFiller() {
        SpeakerMapping speakers = SpeakerMapping.defaults();

        assertThat(speakers.isFiller("Um... okay. Let me check!")).isTrue();
        assertThat(speakers.isFiller("Okay, your order ships tomorrow.")).isFalse();
        assertThat(speakers.isFiller("...")).isFalse();
        assertThat(speakers.isFiller("Check.")).as("a word of a filler phrase, not the phrase").isFalse();
        assertThat(speakers.isFiller("Let me check, um, okay")).isTrue();
        assertThat(speakers.isFiller("Okay thanks")).as("a word in no filler, not first").isFalse();
        assertThat(speakers.isFiller("Thanks okay")).as("a word in no filler, first").isFalse();
        assertThat(new SpeakerMapping(SpeakerMapping.Strategy.AUTO, java.util.Map.of(), java.util.Map.of(), dev.calleval.bluejay.ParticipantRole.AGENT,
                List.of("Bitte warten Sie", "äh")).isFiller("Äh, bitte warten Sie!")).as("the job's own filler words").isTrue();
    }
}
