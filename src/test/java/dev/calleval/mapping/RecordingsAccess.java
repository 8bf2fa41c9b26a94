package dev.calleval.mapping;

import java.nio.file.Path;

/** Test access to the package-private {@link Recordings}. */
public final class RecordingsAccess {
    private RecordingsAccess() {}

    /** The WAV length in ms; fails the test when unknown. */
    public static long wavDurationMs(Path file) {
        return Recordings.wavDurationMs(file).orElseThrow(() -> new AssertionError("no WAV length for " + file));
    }
}
