package dev.calleval.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SpeakerPrefixTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Liam Byrne: shall we begin?|Liam Byrne|shall we begin?",
            "Dr. Ana Ruiz: Thanks, everyone.|Dr. Ana Ruiz|Thanks, everyone.",
            "J. R. Smith: Yes.|J. R. Smith|Yes.",
            "Nora (Northwind AI): Hello|Nora (Northwind AI)|Hello",
            "Speaker 1:   Yes.|Speaker 1|Yes.",
            "O’Brien-Smith: Hi|O’Brien-Smith|Hi",
            "José Núñez: Hola|José Núñez|Hola",
            "Nora:|Nora|''",
            "AGENT : Hello|AGENT|Hello"})
    void readsALabelAndTheTextAfterIt(String line, String speaker, String rest) {
        assertThat(SpeakerPrefix.of(line)).isEqualTo(new SpeakerPrefix.Split(speaker, rest));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Call me at 10:30 please.",
            "10:30",
            "So, to be clear: yes.",
            "Thanks. One thing: the ZIP.",
            "What I mean to say is: no.",
            "https://example.com: a link",
            "No colon here",
            ": nothing before"})
    void readsNoLabelInSentencesTimesOrLinks(String line) {
        assertThat(SpeakerPrefix.of(line)).isNull();
    }

    @Test
    void prefixesAreTheConventionWhenAtLeastHalfOfTheCuesStartWithOne() {
        assertThat(SpeakerPrefix.isConvention(List.of("Liam Byrne: Hi", "Right."))).isTrue();
        assertThat(SpeakerPrefix.isConvention(List.of("Note: the line was noisy.", "Hello?", "Yes."))).isFalse();
        assertThat(SpeakerPrefix.isConvention(List.of("Hello?", "Yes."))).isFalse();
        assertThat(SpeakerPrefix.isConvention(List.of())).isFalse();
    }
}
