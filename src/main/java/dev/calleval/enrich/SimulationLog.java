package dev.calleval.enrich;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * One per-call simulation log as a {@link SimulationLogSource} lists it, not yet read.
 *
 * @param seq 1-based position in the listing (the order of {@code updates.csv})
 * @param file the log file as reports name it: relative to the working directory when it is under it (e.g.
 *     {@code sample-data/simulation-logs/716977.json}); for a manifest row without a usable path,
 *     {@code manifest.csv:<line>}
 * @param line the manifest line (1 is the header); 0 for a log listed from a directory
 * @param declaredId the simulation result id the listing gives: the file name without {@code .json}, or the
 *     manifest's {@code simulation_result_id} cell; null when the manifest cell is blank
 * @param declaredIdOrigin where {@code declaredId} comes from, for messages: {@code the file name} or
 *     {@code the manifest}
 * @param problem what is wrong with the listing entry itself (e.g. a manifest row without {@code log}); the
 *     mapping turns it into a rejection without reading the file
 * @param content opens the log's bytes; each call opens a new stream, which the caller closes
 */
public record SimulationLog(
        long seq,
        String file,
        long line,
        @Nullable String declaredId,
        String declaredIdOrigin,
        @Nullable Problem problem,
        Content content) {

    /** Opens a log's bytes (a local file now; an S3 object later). */
    @FunctionalInterface
    public interface Content {
        /** @throws java.nio.file.NoSuchFileException when the log does not exist */
        InputStream open() throws IOException;
    }

    /** A listing problem: the field it concerns (e.g. {@code log}) and why. */
    public record Problem(String field, String reason) {}
}
