package dev.calleval.enrich;

import dev.calleval.source.ManifestException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The logs of a local directory: every regular file directly in it whose name ends in {@code .json} (any case),
 * except hidden ones; sub-directories and other files are ignored. The file name without {@code .json} is the
 * simulation result id. Order: numeric names by value, then the others by name.
 */
final class DirectoryLogSource implements SimulationLogSource {
    private static final Comparator<String> ORDER = Comparator
            .comparing((String stem) -> !stem.matches("[0-9]{1,40}"))
            .thenComparing(stem -> stem.matches("[0-9]{1,40}") ? new BigInteger(stem) : BigInteger.ZERO)
            .thenComparing(Comparator.naturalOrder());

    private final Path directory;

    public DirectoryLogSource(Path directory) {
        this.directory = directory;
    }

    @Override
    public String location() {
        return SimulationLogSource.shown(directory);
    }

    @Override
    public Stream<SimulationLog> logs() {
        if (!Files.isDirectory(directory)) {
            throw new ManifestException(location(), 0, "not a directory (enrich.location, or --dir)", null);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(DirectoryLogSource::stem, ORDER))
                    .toList();
        } catch (IOException e) {
            throw new ManifestException(location(), 0, "cannot list the directory: " + e.getMessage(), e);
        }
        long[] seq = {0};
        return files.stream().map(file -> new SimulationLog(++seq[0], SimulationLogSource.shown(file), 0, stem(file),
                "the file name", null, () -> Files.newInputStream(file)));
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }
}
