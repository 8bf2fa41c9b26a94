package dev.calleval.source;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/** Small helpers shared by the CSV readers (call manifests, simulation-log manifests). */
public final class CsvFiles {
    private CsvFiles() {}

    /** {@code reader} without a leading UTF-8 byte order mark, which spreadsheet exports often write. */
    public static Reader skipBom(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first != -1 && first != '\uFEFF') {
            pushback.unread(first);
        }
        return pushback;
    }

    /** The message of the innermost cause (Commons CSV wraps the useful one), or its class name when it has none. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A record and the line it starts on (1-based, counting the header; a quoted field may span lines). */
    public record Row(long startLine, CSVRecord record) {}

    /**
     * The records of {@code parser} with the line each starts on, skipping blank lines.
     *
     * @param shownAs the file as the user wrote it, for errors
     */
    public static Rows rows(CSVParser parser, String shownAs) {
        return new Rows(parser, shownAs);
    }

    /** Reads a parser's records one at a time; see {@link #rows}. Not thread-safe. */
    public static final class Rows {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final String shownAs;
        private long lastLine;

        private Rows(CSVParser parser, String shownAs) {
            this.parser = parser;
            this.records = parser.iterator();
            this.shownAs = shownAs;
            this.lastLine = parser.getCurrentLineNumber();
        }

        /**
         * The next non-blank record, or null at the end.
         *
         * @throws ManifestException a CSV syntax error, naming the file and the line the record starts on
         */
        public @Nullable Row next() {
            long startLine;
            CSVRecord record;
            do {
                startLine = lastLine + 1;
                try {
                    if (!records.hasNext()) {
                        return null;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    throw new ManifestException(shownAs, startLine, "CSV syntax error: " + rootMessage(e), e);
                }
                lastLine = parser.getCurrentLineNumber();
            } while (record.size() == 1 && record.get(0).isBlank());
            return new Row(startLine, record);
        }
    }
}
