package dev.calleval.transcript;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A speaker named at the start of a caption's text, {@code Name: text}, as Zoom's WebVTT transcripts and many SRT
 * exports write it; shared by {@link WebVttParser} and {@link SrtParser}.
 *
 * <p>A label is at most {@value #MAX_WORDS} words and 60 characters — letters, digits, spaces and
 * {@code ' ’ ( ) & _ - /} — starting with a letter or a digit, then a colon and a space (or the end of the line: a label
 * alone on its line names the speaker of the lines after it). A period may end a word of at most three letters, an
 * initial or a title ({@code Dr. Ana Ruiz}, {@code J. Smith}), nowhere else. So {@code at 10:30} (no space after
 * the colon), {@code So, to be clear: yes} (a comma), {@code Thanks. One thing: the ZIP} (a sentence's period) and
 * {@code What I mean to say is: no} (six words) are text.
 *
 * <p>A sentence can still look like a label ({@code Note: call back}). So {@code Name: text} prefixes are read as
 * speakers only in a file that uses them as its convention: at least half of its cues with text start with one
 * ({@link #isConvention}). A label alone on its line is read in any file. Stateless.
 */
final class SpeakerPrefix {
    /** The most words a label has. */
    static final int MAX_WORDS = 4;

    private static final Pattern LABEL = Pattern.compile(
            "((?:[\\p{L}\\p{N}][\\p{L}\\p{N}'’()&_/-]*|\\p{L}{1,3}\\.)(?:[ \\t]+(?:[\\p{L}\\p{N}'’()&_/-]+|\\p{L}{1,3}\\.))*)"
                    + "[ \\t]*:(?:[ \\t]+(.*))?");

    private SpeakerPrefix() {}

    /**
     * A speaker label and the text after it.
     *
     * @param rest the text after the label, stripped; empty when the label stands alone on its line
     */
    record Split(String speaker, String rest) {
        boolean alone() {
            return rest.isEmpty();
        }
    }

    /** The label at the start of a line, or null when the line does not start with one. */
    static @Nullable Split of(String line) {
        String text = line.strip();
        if (text.indexOf(':') < 0) {
            return null;
        }
        Matcher m = LABEL.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String speaker = Captions.collapse(m.group(1));
        if (speaker.length() > 60 || speaker.split(" ").length > MAX_WORDS) {
            return null;
        }
        return new Split(speaker, m.group(2) == null ? "" : m.group(2).strip());
    }

    /**
     * Whether a file's cues use {@code Name: text} prefixes as their convention: at least half of the cues' first
     * lines start with a label.
     *
     * @param firstLines the first text line of each cue with text
     */
    static boolean isConvention(List<String> firstLines) {
        long labelled = firstLines.stream().filter(line -> of(line) != null).count();
        return labelled > 0 && labelled * 2 >= firstLines.size();
    }
}
