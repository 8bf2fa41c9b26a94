package dev.calleval.transcript;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * WebVTT captions (W3C WebVTT, {@code text/vtt}), as Microsoft Teams, Zoom, Deepgram and caption tools write them.
 *
 * <ul>
 *   <li>Detected by its first line: {@code WEBVTT}, alone or followed by a space or tab and any text (a byte order
 *       mark before it is removed when the file is read). Header lines after it ({@code Kind: captions}) are
 *       skipped.</li>
 *   <li>{@code NOTE}, {@code STYLE} and {@code REGION} blocks are skipped.</li>
 *   <li>A cue: an optional identifier line, a timing line {@code hh:mm:ss.mmm --> hh:mm:ss.mmm} (hours optional,
 *       {@code mm:ss.mmm}; cue settings after the end time are ignored), then payload lines up to a blank line.
 *       Each cue is one utterance; its payload lines are joined with a space.</li>
 *   <li>The speaker is the voice span's annotation: {@code <v Nora (Northwind AI)>} or {@code <v.loud Nora>}
 *       (closing {@code </v>} optional). A cue with two different voices is rejected (one utterance, one speaker).
 *       Without a voice span, the speaker is a {@code Name: } prefix of the cue's text, as Zoom writes it
 *       ({@code Dr. Ana Ruiz: Hello}), read by {@link SpeakerPrefix} as SRT's is — only in a file where at least
 *       half of the cues start with one, so that a sentence such as {@code Note: call back} stays text. A cue with
 *       neither has no speaker (it does not inherit the previous cue's); a file none of whose cues has one does not
 *       say who spoke, and the converter refuses it unless the job names its role.</li>
 *   <li>Other tags ({@code <c>}, {@code <i>}, {@code <b>}, {@code <u>}, {@code <lang>}, {@code <ruby>}, timestamp tags
 *       {@code <00:00:01.000>}) are removed; the character references {@code &amp; &lt; &gt; &quot; &apos;
 *       &nbsp; &lrm; &rlm;} and numeric ones are decoded ({@code &nbsp;} to a plain space); white space is collapsed.
 *       A cue left without text is skipped.</li>
 * </ul>
 * Times are exact: three digits of milliseconds, integer arithmetic. Errors name the cue by its position in the file
 * and the line of its first line, e.g. {@code cue 12 (line 47)}: a timing line that is not {@code hh:mm:ss.mmm},
 * minutes or seconds above 59, a block that is neither a cue nor a NOTE/STYLE/REGION block, {@code -->} inside a
 * cue's text (a missing blank line).
 */
final class WebVttParser implements TranscriptParser {
    private static final Pattern HEADER = Pattern.compile("WEBVTT([ \t].*)?");
    private static final Pattern SKIPPED_BLOCK = Pattern.compile("(NOTE|STYLE|REGION)([ \t].*)?");
    private static final Pattern TIMING = Pattern.compile("[ \t]*(\\S+?)[ \t]*-->[ \t]*(\\S+)(?:[ \t].*)?");
    private static final Pattern TIME = Pattern.compile("(?:(\\d{1,9}):)?(\\d{2}):(\\d{2})\\.(\\d{3})");
    private static final Pattern VOICE = Pattern.compile("<v(?:\\.[^\\s>]*)?(?:[ \t]+([^>]*))?>");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");

    @Override
    public TranscriptFormat format() {
        return TranscriptFormat.WEBVTT;
    }

    @Override
    public boolean accepts(TranscriptInput input) {
        return input.json() == null && HEADER.matcher(Captions.lines(input.text()).get(0)).matches();
    }

    @Override
    public ParsedTranscript parse(TranscriptInput input) throws TranscriptException {
        List<String> lines = Captions.lines(input.text());
        String shownAs = input.shownAs();
        if (!HEADER.matcher(lines.get(0)).matches()) {
            throw new TranscriptException("transcript", shownAs + " does not start with a WEBVTT line: not WebVTT");
        }
        int at = 1;
        while (at < lines.size() && !lines.get(at).isBlank() && !lines.get(at).contains("-->")) {
            at++; // header lines (Kind:, Language:) up to the first blank line
        }
        List<Utterance> out = new ArrayList<>();
        int cue = 0;
        while (at < lines.size()) {
            if (lines.get(at).isBlank()) {
                at++;
                continue;
            }
            int start = at;
            while (at < lines.size() && !lines.get(at).isBlank()) {
                at++;
            }
            List<String> block = lines.subList(start, at);
            if (SKIPPED_BLOCK.matcher(block.get(0)).matches() && block.stream().noneMatch(l -> l.contains("-->"))) {
                continue;
            }
            cue++;
            Utterance utterance = cue(block, cue, start + 1, shownAs);
            if (utterance != null) {
                out.add(utterance);
            }
        }
        return new ParsedTranscript(format(), namePrefixes(out), List.of(), null);
    }

    /**
     * Zoom's convention: no voice span, the speaker as a {@code Name: } prefix of the text. In a file where at least
     * half of the cues start with one ({@link SpeakerPrefix#isConvention}), a cue without a voice span gets the prefix
     * as its speaker, and the text after it.
     */
    private static List<Utterance> namePrefixes(List<Utterance> cues) {
        if (!SpeakerPrefix.isConvention(cues.stream().map(Utterance::text).toList())) {
            return cues;
        }
        List<Utterance> out = new ArrayList<>(cues.size());
        for (Utterance u : cues) {
            SpeakerPrefix.Split split = u.speaker() == null ? SpeakerPrefix.of(u.text()) : null;
            out.add(split == null || split.alone() ? u
                    : new Utterance(u.where(), split.speaker(), null, null, u.startMs(), u.endMs(), split.rest(), null));
        }
        return out;
    }

    /** One cue block; {@code line} is the file line of its first line. Null when it has no text. */
    private static @Nullable Utterance cue(List<String> block, int number, int line, String shownAs) throws TranscriptException {
        String where = "cue " + number + " (line " + line + ")";
        int timingAt = block.get(0).contains("-->") ? 0 : 1;
        if (timingAt >= block.size() || !block.get(timingAt).contains("-->")) {
            throw new TranscriptException(TranscriptParser.field(where), "line " + line + " " + Captions.quote(block.get(0))
                    + " starts a block that is neither a cue (no timing line hh:mm:ss.mmm --> hh:mm:ss.mmm after it) nor a NOTE, STYLE or "
                    + "REGION block, in " + shownAs);
        }
        String timing = block.get(timingAt);
        Matcher m = TIMING.matcher(timing);
        if (!m.matches()) {
            throw badTiming(where, line + timingAt, timing, shownAs);
        }
        long startMs = time(m.group(1), where, line + timingAt, timing, shownAs);
        long endMs = time(m.group(2), where, line + timingAt, timing, shownAs);
        List<String> payload = block.subList(timingAt + 1, block.size());
        for (int i = 0; i < payload.size(); i++) {
            if (payload.get(i).contains("-->")) {
                throw new TranscriptException(TranscriptParser.field(where), where + ": line " + (line + timingAt + 1 + i) + " "
                        + Captions.quote(payload.get(i)) + " is a timing line inside the cue's text; separate cues with a blank line, in "
                        + shownAs);
            }
        }
        String text = String.join(" ", payload);
        Set<String> voices = new LinkedHashSet<>();
        Matcher voice = VOICE.matcher(text);
        while (voice.find()) {
            String name = voice.group(1) == null ? "" : Captions.collapse(decode(voice.group(1)));
            if (!name.isEmpty()) {
                voices.add(name);
            }
        }
        if (voices.size() > 1) {
            throw new TranscriptException(TranscriptParser.field(where), where + " has voices " + String.join(" and ", voices)
                    + "; calleval reads one speaker per cue, in " + shownAs);
        }
        String spoken = Captions.collapse(decode(TAG.matcher(text).replaceAll("")));
        if (spoken.isEmpty()) {
            return null;
        }
        return new Utterance(where, voices.isEmpty() ? null : voices.iterator().next(), null, null, startMs, endMs, spoken, null);
    }

    private static long time(String value, String where, int line, String timing, String shownAs) throws TranscriptException {
        Matcher m = TIME.matcher(value);
        long ms = m.matches() ? Captions.clockMs(m.group(1) == null ? "" : m.group(1), m.group(2), m.group(3), m.group(4)) : -1;
        if (ms < 0) {
            throw badTiming(where, line, timing, shownAs);
        }
        return ms;
    }

    private static TranscriptException badTiming(String where, int line, String timing, String shownAs) {
        String hint = timing.matches(".*\\d,\\d{3}.*") ? " (a comma before the milliseconds is SRT; WebVTT uses a dot)" : "";
        return new TranscriptException(TranscriptParser.field(where), where + ": timing line " + line + " is " + Captions.quote(timing)
                + ", expected hh:mm:ss.mmm --> hh:mm:ss.mmm (hours optional, minutes and seconds 00-59)" + hint + ", in " + shownAs);
    }

    /** Decodes WebVTT/HTML character references; unknown names are left as written. */
    static String decode(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            String replacement = switch (ref) {
                case "amp" -> "&";
                case "lt" -> "<";
                case "gt" -> ">";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> " ";
                case "lrm", "rlm" -> "";
                default -> ref.startsWith("#") ? codePoint(ref) : m.group();
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String codePoint(String ref) {
        boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
        int cp = Integer.parseInt(hex ? ref.substring(2) : ref.substring(1), hex ? 16 : 10);
        return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
    }
}
