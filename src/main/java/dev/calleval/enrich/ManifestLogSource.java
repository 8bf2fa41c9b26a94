package dev.calleval.enrich;

import dev.calleval.source.CsvFiles;
import dev.calleval.source.ManifestException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * The logs a CSV manifest lists (UTF-8, optional BOM, header row, RFC 4180 quoting), streamed one row at a time:
 * columns {@code simulation_result_id} (may be blank when the log file holds the id) and {@code log} (the log
 * file's path, relative to the manifest's folder, or absolute); other columns are ignored, blank lines skipped.
 *
 * <p>A missing manifest, a header without {@code log} or a CSV syntax error ends the listing with a
 * {@link ManifestException} naming the file and line; a row without a {@code log} path, or with more fields
 * than the header, is listed with a problem, which the mapping rejects.
 */
final class ManifestLogSource implements SimulationLogSource {
    private final Path manifest;

    public ManifestLogSource(Path manifest) {
        this.manifest = manifest;
    }

    @Override
    public String location() {
        return SimulationLogSource.shown(manifest);
    }

    @Override
    public Stream<SimulationLog> logs() {
        String shown = location();
        CSVParser parser;
        try {
            Reader reader = CsvFiles.skipBom(new InputStreamReader(Files.newInputStream(manifest),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)));
            parser = CSVFormat.RFC4180.builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(false) // blank lines are skipped below, so line numbers stay exact
                    .setIgnoreSurroundingSpaces(true)
                    .setAllowMissingColumnNames(true)
                    .get()
                    .parse(reader);
        } catch (NoSuchFileException e) {
            throw new ManifestException(shown, 0, "manifest file not found", e);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            throw new ManifestException(shown, 1, "cannot read the header row: " + e.getMessage(), e);
        }
        List<String> headers = parser.getHeaderNames().stream().map(String::strip).toList();
        int logColumn = headers.indexOf("log");
        int idColumn = headers.indexOf("simulation_result_id");
        if (logColumn < 0) {
            close(parser);
            throw new ManifestException(shown, 1, "the header has no 'log' column (columns: simulation_result_id,log), found " + headers, null);
        }
        CsvFiles.Rows rows = CsvFiles.rows(parser, shown);
        Iterator<SimulationLog> logs = new Iterator<>() {
            private long seq;
            private @Nullable SimulationLog next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = advance();
                }
                return next != null;
            }

            @Override
            public SimulationLog next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                SimulationLog log = next;
                next = null;
                return log;
            }

            private @Nullable SimulationLog advance() {
                CsvFiles.Row row = rows.next();
                return row == null ? null : log(row.record(), row.startLine(), ++seq, idColumn, logColumn, headers.size());
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(logs, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> close(parser));
    }

    private SimulationLog log(CSVRecord record, long line, long seq, int idColumn, int logColumn, int headerCount) {
        String where = location() + ":" + line;
        String id = cell(record, idColumn);
        String logPath = cell(record, logColumn);
        if (record.size() > headerCount) {
            return problem(seq, where, line, id, new SimulationLog.Problem("row",
                    "row has " + record.size() + " fields but the header has " + headerCount));
        }
        if (logPath == null) {
            return problem(seq, where, line, id, new SimulationLog.Problem("log", "log is empty; give the log file's path, relative to the manifest"));
        }
        Path file;
        try {
            if (logPath.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
                return problem(seq, where, line, id, new SimulationLog.Problem("log", "'" + logPath + "' is a URL; log must be a local path"));
            }
            Path p = Path.of(logPath);
            file = p.isAbsolute() ? p : manifest.toAbsolutePath().getParent().resolve(p).normalize();
        } catch (InvalidPathException e) {
            return problem(seq, where, line, id, new SimulationLog.Problem("log", "'" + logPath + "' is not a valid path: " + e.getReason()));
        }
        return new SimulationLog(seq, SimulationLogSource.shown(file), line, id, "the manifest", null, () -> Files.newInputStream(file));
    }

    private static SimulationLog problem(long seq, String where, long line, @Nullable String id, SimulationLog.Problem problem) {
        return new SimulationLog(seq, where, line, id, "the manifest", problem, () -> {
            throw new NoSuchFileException(where);
        });
    }

    private static @Nullable String cell(CSVRecord record, int index) {
        if (index < 0 || index >= record.size()) {
            return null;
        }
        String value = record.get(index);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void close(CSVParser parser) {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


}
