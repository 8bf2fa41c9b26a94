package dev.calleval.enrich;

import dev.calleval.jobfile.LogSourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where an enrich job's per-call logs come from: lists them in a stable order. Implementations: a local
 * directory ({@link DirectoryLogSource}) and a CSV manifest ({@link ManifestLogSource}); an S3 prefix lister
 * fits the same interface (list keys, open objects).
 */
public interface SimulationLogSource {

    /** The location as reports name it (the directory or the manifest). */
    String location();

    /**
     * The logs, in a stable order. The stream holds resources (an open manifest): close it.
     *
     * @throws dev.calleval.source.ManifestException when the listing itself cannot be read (missing directory or
     *     manifest, no header, CSV syntax error), naming the file and line
     */
    Stream<SimulationLog> logs();

    /**
     * The source for a location: {@code type}, or when null a directory if {@code location} is one, else a manifest.
     */
    static SimulationLogSource of(Path location, @Nullable LogSourceType type) {
        LogSourceType resolved = type != null ? type : Files.isDirectory(location) ? LogSourceType.DIRECTORY : LogSourceType.MANIFEST;
        return switch (resolved) {
            case DIRECTORY -> new DirectoryLogSource(location);
            case MANIFEST -> new ManifestLogSource(location);
        };
    }

    /**
     * How reports name a local path: relative to the working directory when it is under it (as the user typed
     * it), else absolute.
     */
    static String shown(Path path) {
        return new dev.calleval.source.InputLocation.Local(path).shown(); // the same rule as for call manifests
    }
}
