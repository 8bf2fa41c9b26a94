package dev.calleval.jobfile;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How the simulation logs of an enrich job are listed. */
public enum LogSourceType {
    /** Every {@code <simulation_result_id>.json} file directly in a directory. */
    DIRECTORY,
    /** A CSV manifest with the columns {@code simulation_result_id} and {@code log} (a path relative to it). */
    MANIFEST;

    /** {@code directory} or {@code manifest}, in any case; null for anything else. */
    public static @Nullable LogSourceType parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "directory" -> DIRECTORY;
            case "manifest" -> MANIFEST;
            default -> null;
        };
    }
}
