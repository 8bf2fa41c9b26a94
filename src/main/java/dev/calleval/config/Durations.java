package dev.calleval.config;

import java.time.Duration;
import java.util.Locale;

/** Durations as an operator writes them in settings, job files and flags. */
public final class Durations {
    private Durations() {}

    /** {@code 25h}, {@code 1m30s}, {@code 0.5s}: the ISO-8601 form without {@code PT}, lower case. */
    public static String shown(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
