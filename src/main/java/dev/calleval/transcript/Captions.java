package dev.calleval.transcript;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What the caption parsers ({@link WebVttParser}, {@link SrtParser}) share: splitting into lines and clock times in
 * whole milliseconds. A caption time is {@code hours:minutes:seconds} plus exactly three digits of milliseconds, so
 * it converts to integer ms with integer arithmetic, exactly.
 */
final class Captions {
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Captions() {}

    /** The lines of a text; CRLF, CR and LF all end a line. Line {@code n} of the file is element {@code n - 1}. */
    static List<String> lines(String text) {
        return List.of(LINE_BREAK.split(text, -1));
    }

    /**
     * Milliseconds from call start of a caption clock time.
     *
     * @return the time in ms, or -1 when minutes or seconds are above 59
     */
    static long clockMs(String hours, String minutes, String seconds, String millis) {
        int m = Integer.parseInt(minutes);
        int s = Integer.parseInt(seconds);
        if (m > 59 || s > 59) {
            return -1;
        }
        long h = hours.isEmpty() ? 0 : Long.parseLong(hours);
        return ((h * 60 + m) * 60 + s) * 1000 + Integer.parseInt(millis);
    }

    /** Runs of white space made one space, and the ends stripped. */
    static String collapse(String text) {
        return SPACES.matcher(text).replaceAll(" ").strip();
    }

    /** A line for a message: quoted, abbreviated. */
    static String quote(String line) {
        String text = line.strip();
        return "\"" + (text.length() <= 60 ? text : text.substring(0, 60) + "…") + "\"";
    }
}
