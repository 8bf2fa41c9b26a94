package dev.calleval.manifest;

import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3ObjectInputStream;
import dev.calleval.s3.S3Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams a CSV manifest (UTF-8, optional BOM, header row, RFC 4180 quoting) one record at a time into
 * {@link CallRecord}s, from local disk or from S3 ({@code s3://bucket/key}: one GetObject stream, resumed from the
 * byte it stopped at when the connection breaks; never downloaded whole). The number of records read is saved in the step's execution context under
 * {@code manifest.records}; when {@code resume} is on, a restart skips that many records. The evaluate job turns
 * it off: a restarted run reads the manifest again from the top so that rows which ended FAILED before the
 * restart point are sent again, and the ledger keeps already-accepted rows from being sent twice.
 *
 * <p>Errors: a missing file, an empty file or a CSV syntax error (e.g. an unclosed quote) ends the read with a
 * {@link ManifestException} naming the file and line. A row with more fields than the header becomes a
 * {@code CallRecord} with a problem, which the mapping rejects; the read goes on.
 */
public final class ManifestItemReader implements ItemStreamReader<CallRecord> {
    static final String RECORDS_KEY = "manifest.records";
    /** The ETag of an S3 manifest, so that a restart over a replaced object reads it from the top. */
    static final String ETAG_KEY = "manifest.etag";
    private static final Logger log = LoggerFactory.getLogger(ManifestItemReader.class);

    private final InputLocation manifest;
    private final @Nullable S3Storage s3;
    private final String displayName;
    private final ColumnMapping columns;
    private final boolean resume;
    private @Nullable CSVParser parser;
    private CsvFiles.@Nullable Rows records;
    private final InputLocation base;
    private List<String> logicalNames = List.of();
    private long recordsRead;
    private @Nullable String eTag;
    private volatile long fileSize;
    private volatile long position;

    /**
     * @param file the manifest on local disk
     * @param displayName how the file is named in rejects and errors (the path the user gave)
     * @param columns logical-to-header column mapping
     */
    public ManifestItemReader(Path file, String displayName, ColumnMapping columns) {
        this(file, displayName, columns, true);
    }

    /**
     * @param resume on a restart, skip the records a previous execution already read
     */
    public ManifestItemReader(Path file, String displayName, ColumnMapping columns, boolean resume) {
        this(new InputLocation.Local(file), null, displayName, columns, resume);
    }

    /**
     * A reader of a manifest on local disk or in S3.
     *
     * @param manifest the manifest: a local file, or an S3 object read through {@code s3}
     * @param s3 the S3 access for an S3 manifest; may be null for a local one
     * @param displayName how the manifest is named in rejects and errors (as the user wrote it, e.g.
     *     {@code s3://bucket/key}), so that rejects read {@code s3://bucket/key:line}
     * @param resume on a restart, skip the records a previous execution already read (for an S3 manifest, only
     *     when its ETag is the same as then; a replaced object is read from the top)
     */
    public ManifestItemReader(InputLocation manifest, @Nullable S3Storage s3, String displayName, ColumnMapping columns, boolean resume) {
        if (manifest instanceof InputLocation.S3 && s3 == null) {
            throw new IllegalArgumentException("reading " + manifest + " needs S3 access");
        }
        this.manifest = manifest;
        this.base = manifest.parent();
        this.s3 = s3;
        this.displayName = displayName;
        this.columns = columns;
        this.resume = resume;
    }

    @Override
    public void open(ExecutionContext context) {
        Reader reader = null;
        try {
            reader = CsvFiles.skipBom(new java.io.InputStreamReader(openManifest(),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE))); // a bad byte rejects its row, not the file
            parser = CSVFormat.RFC4180.builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(false) // blank lines are skipped in read(), so line numbers stay exact
                    .setIgnoreSurroundingSpaces(true)
                    .setAllowMissingColumnNames(true)
                    .get()
                    .parse(reader);
        } catch (NoSuchFileException e) {
            throw new ManifestException(displayName, 0, "manifest file not found", e);
        } catch (S3AccessException e) {
            throw new ManifestException(displayName, 0, (e.notFound() ? "manifest not found in S3: " : "cannot read the manifest from S3: ")
                    + e.reason(), e);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            closeQuietly(reader);
            throw new ManifestException(displayName, 1, "cannot read the header row: " + e.getMessage(), e);
        }
        List<String> headers = parser.getHeaderNames();
        if (headers.stream().anyMatch(h -> h.indexOf('\uFFFD') >= 0 || h.indexOf('\u0000') >= 0)) {
            close();
            throw new ManifestException(displayName, 1, "the header row is not UTF-8 text (UTF-16 or a legacy encoding?): save the manifest as UTF-8", null);
        }
        if (headers.isEmpty()) {
            close();
            throw new ManifestException(displayName, 1, "the manifest has no header row", null);
        }
        logicalNames = headers.stream().map(h -> columns.logical(h.strip())).toList();
        records = CsvFiles.rows(parser, displayName);
        long skip = resume ? context.getLong(RECORDS_KEY, 0L) : 0L;
        String previousETag = context.containsKey(ETAG_KEY) ? context.getString(ETAG_KEY) : null;
        if (skip > 0 && eTag != null && previousETag != null && !previousETag.equals(eTag)) {
            log.warn("{} was replaced since the run being restarted read {} record(s) of it (ETag {} then, {} now): reading it from the top",
                    displayName, skip, previousETag, eTag);
            skip = 0;
        }
        for (long i = 0; i < skip && read() != null; i++) {
            // fast-forward over the records a previous execution already handed on
        }
        recordsRead = skip;
    }

    @Override
    public @Nullable CallRecord read() {
        if (records == null || parser == null) {
            throw new ItemStreamException("reader for " + displayName + " is not open");
        }
        CsvFiles.Row row = records.next();
        if (row == null) {
            position = fileSize;
            return null;
        }
        long startLine = row.startLine();
        CSVRecord record = row.record();
        position = record.getCharacterPosition();
        recordsRead++;
        Map<String, String> values = new HashMap<>();
        int n = Math.min(record.size(), logicalNames.size());
        for (int i = 0; i < n; i++) {
            String value = record.get(i);
            if (value != null && !value.isBlank()) {
                values.putIfAbsent(logicalNames.get(i), value.strip());
            }
        }
        String problem = null;
        if (record.size() > logicalNames.size()) {
            problem = "row has " + record.size() + " fields but the header has " + logicalNames.size();
        }
        return new CallRecord(new SourceRef(displayName, startLine), base, values, problem);
    }

    private InputStream openManifest() throws IOException {
        if (manifest instanceof InputLocation.S3 object && s3 != null) {
            S3ObjectInputStream in = s3.openStream(object.location());
            eTag = in.eTag();
            fileSize = in.size();
            return in;
        }
        Path file = ((InputLocation.Local) manifest).path();
        fileSize = Files.size(file);
        return Files.newInputStream(file);
    }

    /**
     * How far the read has got, for progress: the start of the last record read as a share of the file's size, from
     * 0 to 1 (1 at the end). Characters over bytes, so an estimate for files with multi-byte characters; -1 before
     * {@link #open}. Safe to call from another thread.
     */
    public double readFraction() {
        long size = fileSize;
        return size <= 0 ? -1 : Math.min(1.0, (double) position / size);
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(RECORDS_KEY, recordsRead);
        if (eTag != null) {
            context.putString(ETAG_KEY, eTag);
        }
    }

    @Override
    public void close() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                throw new ItemStreamException("cannot close " + displayName, e);
            }
            parser = null;
        }
    }

    private static void closeQuietly(@Nullable Reader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // the header error is what the user needs to see
            }
        }
    }

}
