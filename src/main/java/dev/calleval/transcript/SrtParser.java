package dev.calleval.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * SubRip captions ({@code .srt}), as transcription services and caption editors export them.
 *
 * <ul>
 *   <li>Detected by its first non-blank line, a cue number, followed by a timing line
 *       {@code hh:mm:ss,mmm --> hh:mm:ss,mmm}. A dot before the milliseconds is accepted too (players and ffmpeg
 *       accept it; a file that starts with {@code WEBVTT} is WebVTT, never SRT); coordinates after the end time
 *       ({@code X1:…}) are ignored. CRLF, CR or LF line ends; a byte order mark is removed when the file is read.</li>
 *   <li>A cue: its number, its timing line, then text lines up to the next cue number and timing line (cues are
 *       separated by blank lines; a blank line inside a cue's text is ignored). Each cue is one utterance; its text
 *       lines are joined with a space; the tags {@code <i> <b> <u> <font …>} and {@code {\an8}} are removed.</li>
 *   <li>The speaker is a prefix of the cue's first line: {@code [Agent] Hello}, or {@code Nora (Northwind AI): Hello},
 *       {@code Dr. Ana Ruiz: Hello} as {@link SpeakerPrefix} reads it (the same as WebVTT's; {@code at 10:30} or
 *       {@code So, to be clear: yes} are text, and {@code Name: text} prefixes count only in a file where at least half
 *       of the cues start with one); a label alone on the first line ({@code [speaker 0]}, {@code Nora:}) names the
 *       speaker of the lines after it. A bracketed sound ({@code [laughs] Yes}) at the start of a cue reads as a label
 *       too: the LABEL speaker mapping reports such a label instead of guessing. A cue without a label keeps the
 *       speaker of the cue before it, as Deepgram writes {@code [speaker N]} only when the speaker changes; cues before
 *       any label have no speaker. A file none of whose cues has a speaker does not say who spoke: the converter
 *       refuses it unless the job names its role. A cue left without text is skipped.</li>
 * </ul>
 * Times are exact: three digits of milliseconds, integer arithmetic. Errors name the cue by its number as written and
 * the line of that number, e.g. {@code cue 12 (line 47)}: a timing line that is not {@code hh:mm:ss,mmm}, minutes or
 * seconds above 59, a timing line without a cue number before it, text before the first cue.
 */
final class SrtParser implements TranscriptParser {
    private static final Pattern NUMBER = Pattern.compile("[ \t]*(\\d{1,9})[ \t]*");
    private static final Pattern TIMING = Pattern.compile("[ \t]*(\\S+?)[ \t]*-->[ \t]*(\\S+)(?:[ \t].*)?");
    private static final Pattern TIME = Pattern.compile("(\\d{1,9}):(\\d{2}):(\\d{2})[,.](\\d{3})");
    private static final Pattern TAG = Pattern.compile("</?(?:i|b|u|font)(?:[ \t][^>]*)?>|\\{\\\\[^}]*}", Pattern.CASE_INSENSITIVE);
    private static final Pattern BRACKET_LABEL = Pattern.compile("\\[([^\\[\\]]{1,60})]\\s*(.*)");

    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.SRT;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        if (input.json() != null) {
            return false;
        }
        List<String> lines = Captions.lines(input.text());
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first + 1 >= lines.size() || !NUMBER.matcher(lines.get(first)).matches()) {
            return false;
        }
        Matcher timing = TIMING.matcher(lines.get(first + 1));
        return timing.matches() && TIME.matcher(timing.group(1)).matches() && TIME.matcher(timing.group(2)).matches();
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        List<String> lines = Captions.lines(input.text());
        String shownAs = input.shownAs();
        List<Cue> cues = new ArrayList<>();
        int at = 0;
        while (at < lines.size() && lines.get(at).isBlank()) {
            at++;
        }
        if (at < lines.size() && !startsCue(lines, at)) {
            throw new TranscriptException("transcript", "line " + (at + 1) + " of " + shownAs + " is " + Captions.quote(lines.get(at))
                    + ", expected a cue number followed by a timing line hh:mm:ss,mmm --> hh:mm:ss,mmm: not SRT");
        }
        while (at < lines.size()) {
            String number = lines.get(at).strip();
            String where = "cue " + number + " (line " + (at + 1) + ")";
            String timing = lines.get(at + 1);
            Matcher m = TIMING.matcher(timing);
            if (!m.matches()) {
                throw badTiming(where, at + 2, timing, shownAs);
            }
            long startMs = time(m.group(1), where, at + 2, timing, shownAs);
            long endMs = time(m.group(2), where, at + 2, timing, shownAs);
            at += 2;
            List<String> text = new ArrayList<>();
            while (at < lines.size() && !startsCue(lines, at)) {
                String line = lines.get(at);
                if (line.contains("-->")) {
                    throw new TranscriptException(TranscriptParser.field(where), where + ": line " + (at + 1) + " " + Captions.quote(line)
                            + " looks like a timing line but no cue number comes before it, in " + shownAs);
                }
                String plain = Captions.collapse(TAG.matcher(line).replaceAll(""));
                if (!plain.isEmpty()) {
                    text.add(plain);
                }
                at++;
            }
            if (!text.isEmpty()) {
                cues.add(new Cue(where, startMs, endMs, text));
            }
        }
        boolean prefixes = SpeakerPrefix.isConvention(cues.stream().map(c -> c.text().get(0)).toList());
        List<Utterance> out = new ArrayList<>(cues.size());
        String speaker = null;
        for (Cue cue : cues) {
            String label = label(cue.text(), prefixes);
            speaker = label != null ? label : speaker;
            String spoken = Captions.collapse(String.join(" ", cue.text()));
            if (!spoken.isEmpty()) {
                out.add(new Utterance(cue.where(), speaker, null, null, cue.startMs(), cue.endMs(), spoken, null));
            }
        }
        return new ParsedTranscript(format(), out, List.of(), null);
    }

    /** A cue with text, before its speaker label is read; {@code text} is its non-blank lines, tags removed. */
    private record Cue(String where, long startMs, long endMs, List<String> text) {}

    /** A cue number line followed by a line with an arrow (a bad time there is reported, not read as text). */
    private static boolean startsCue(List<String> lines, int at) {
        return at + 1 < lines.size() && NUMBER.matcher(lines.get(at)).matches() && lines.get(at + 1).contains("-->");
    }

    /**
     * Takes a speaker label off the first text line (removing the line when it was only the label); null if none.
     *
     * @param prefixes whether {@code Name: text} prefixes are the file's convention ({@link SpeakerPrefix#isConvention})
     */
    private static @Nullable String label(List<String> text, boolean prefixes) {
        String first = text.get(0);
        Matcher bracket = BRACKET_LABEL.matcher(first);
        SpeakerPrefix.Split colon = SpeakerPrefix.of(first);
        String label;
        String rest;
        if (bracket.matches()) {
            label = bracket.group(1).strip();
            rest = bracket.group(2);
        } else if (colon != null && (prefixes || colon.alone())) {
            label = colon.speaker();
            rest = colon.rest();
        } else {
            return null;
        }
        if (label.isEmpty()) {
            return null;
        }
        if (rest.isBlank()) {
            text.remove(0);
        } else {
            text.set(0, rest);
        }
        return label;
    }

    private static long time(String value, String where, int line, String timing, String shownAs) throws TranscriptException {
        Matcher m = TIME.matcher(value);
        long ms = m.matches() ? Captions.clockMs(m.group(1), m.group(2), m.group(3), m.group(4)) : -1;
        if (ms < 0) {
            throw badTiming(where, line, timing, shownAs);
        }
        return ms;
    }

    private static TranscriptException badTiming(String where, int line, String timing, String shownAs) {
        return new TranscriptException(TranscriptParser.field(where), where + ": timing line " + line + " is " + Captions.quote(timing)
                + ", expected hh:mm:ss,mmm --> hh:mm:ss,mmm (minutes and seconds 00-59), in " + shownAs);
    }
}
