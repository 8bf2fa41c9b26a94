package dev.calleval.source;

import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Streams a CSV manifest (UTF-8, optional BOM, header row, RFC 4180 quoting, optionally gzip-compressed) one record at a time into
 * {@link CallRecord}s, from local disk or from S3 ({@code s3://bucket/key}: one GetObject stream, resumed from the
 * byte it stopped at when the connection breaks; never downloaded whole). The number of records read is saved in the step's execution context under
 * {@code manifest.records}; when {@code resume} is on, a restart skips that many records. The evaluate job turns
 * it off: a restarted run reads the manifest again from the top so that rows which ended FAILED before the
 * restart point are sent again, and the ledger keeps already-accepted rows from being sent twice.
 *
 * <p>Errors: a missing, unreadable or empty file, one without a header row, and one that is not UTF-8 text (UTF-16,
 * an .xlsx workbook) fail {@link #open} with a {@link ManifestException} naming the file ({@link #check} does that
 * before a job execution exists). A CSV syntax error (e.g. an unclosed quote) ends the read at its line: that line is
 * handed on as a {@code CallRecord} with a problem, the read ends, and {@link #afterStep} fails the step (register
 * the reader as a step listener). A row whose number of cells differs from the header's becomes a {@code CallRecord}
 * with a problem, which the mapping rejects; the read goes on.
 *
 * <p>Opening the stored bytes (local or S3, gzip or not, counted for progress) is {@code ManifestBytes}'s job.
 */
public final class ManifestItemReader implements ItemStreamReader<CallRecord>, StepExecutionListener {
    static final String RECORDS_KEY = "manifest.records";
    /** The ETag of an S3 manifest, so that a restart over a replaced object reads it from the top. */
    static final String ETAG_KEY = "manifest.etag";
    private static final Logger log = LoggerFactory.getLogger(ManifestItemReader.class);

    private final ManifestBytes bytes;
    private final String displayName;
    private final ColumnMapping columns;
    private final boolean resume;
    private @Nullable CSVParser parser;
    private CsvFiles.@Nullable Rows records;
    private final InputLocation base;
    private List<String> logicalNames = List.of();
    private long recordsRead;
    private volatile long position;
    private @Nullable ManifestHeader header;
    private @Nullable ManifestException syntaxError;
    private boolean ended;

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
        this.bytes = new ManifestBytes(manifest, s3, displayName);
        this.base = manifest.parent();
        this.displayName = displayName;
        this.columns = columns;
        this.resume = resume;
    }

    @Override
    public void open(ExecutionContext context) {
        Reader reader = null;
        InputStream raw = null;
        try {
            raw = bytes.openRaw();
            reader = CsvFiles.skipBom(new java.io.InputStreamReader(bytes.sniff(raw),
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE))); // a bad byte rejects its row, not the file
            parser = CSVFormat.RFC4180.builder()
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(false) // blank lines are skipped in read(), so line numbers stay exact
                    .setIgnoreSurroundingSpaces(true)
                    .setAllowMissingColumnNames(true)
                    .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY) // two columns of one name: which one holds the value?
                    .get()
                    .parse(reader);
        } catch (ManifestException e) {
            closeQuietly(reader);
            closeQuietly(raw);
            throw e;
        } catch (NoSuchFileException e) {
            throw new ManifestException(displayName, 0, "manifest not found: check source.location in the job file (a relative path is "
                    + "read from the job file's folder)", null);
        } catch (AccessDeniedException e) {
            throw new ManifestException(displayName, 0, "cannot read the manifest: permission denied (give the user running calleval "
                    + "read access)", null);
        } catch (S3AccessException e) {
            throw new ManifestException(displayName, 0, (e.notFound() ? "manifest not found in S3: " : "cannot read the manifest from S3: ")
                    + e.reason(), null);
        } catch (IllegalArgumentException e) {
            closeQuietly(reader);
            closeQuietly(raw);
            String message = String.valueOf(e.getMessage());
            throw new ManifestException(displayName, 1, message.contains("duplicate name")
                    ? "the header names a column twice (" + message + "): keep one of them" : "cannot read the header row: " + message, null);
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(reader);
            closeQuietly(raw);
            throw new ManifestException(displayName, 1, "cannot read the header row: " + CsvFiles.rootMessage(e), null);
        }
        List<String> headers = parser.getHeaderNames();
        if (headers.stream().anyMatch(h -> h.indexOf('\uFFFD') >= 0 || h.indexOf('\u0000') >= 0)) {
            close();
            throw new ManifestException(displayName, 1, "the header row is not UTF-8 text (UTF-16 or a legacy encoding?): save the manifest "
                    + "as UTF-8 (in Excel: Save As, CSV UTF-8)", null);
        }
        if (headers.isEmpty() || headers.stream().allMatch(String::isBlank)) {
            close();
            throw new ManifestException(displayName, 1, "the manifest has no header row: its first line must name the columns (call_id, "
                    + "agent_id, start_time_utc, ...)", null);
        }
        logicalNames = headers.stream().map(h -> columns.logical(h.strip())).toList();
        header = new ManifestHeader(displayName, headers.stream().map(String::strip).toList(), columns);
        records = CsvFiles.rows(parser, displayName);
        syntaxError = null;
        ended = false;
        long skip = resume ? context.getLong(RECORDS_KEY, 0L) : 0L;
        String previousETag = context.containsKey(ETAG_KEY) ? context.getString(ETAG_KEY) : null;
        String eTag = bytes.eTag();
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

    /**
     * Opens the manifest, reads its header and closes it again: what {@code run} and the launch API check before a job
     * execution is created, so that a manifest that cannot be read is refused without one.
     *
     * @return the header, with the columns calleval does not read
     * @throws ManifestException when the manifest is missing, unreadable, empty, has no header or is not UTF-8 text
     */
    public ManifestHeader check() {
        open(new ExecutionContext());
        try {
            return header();
        } finally {
            close();
        }
    }

    /**
     * The header of the open manifest.
     *
     * @throws IllegalStateException before {@link #open}
     */
    public ManifestHeader header() {
        if (header == null) {
            throw new IllegalStateException(displayName + " is not open");
        }
        return header;
    }

    /**
     * The next row, or null at the end. A row with a CSV syntax error (an unbalanced quote, a character after a
     * closing quote, gzip data cut short) ends the read: it is returned as a row with a problem (the mapping rejects
     * it, naming its line), the read ends after it, and {@link #afterStep} fails the step with the error.
     */
    @Override
    public @Nullable CallRecord read() {
        if (records == null || parser == null) {
            throw new ItemStreamException("reader for " + displayName + " is not open");
        }
        if (ended) {
            return null;
        }
        CsvFiles.Row row;
        try {
            row = records.next();
        } catch (ManifestException e) {
            ended = true;
            String reason = bytes.gzip() && isGzipDamage(e) ? "the gzip data is damaged or cut short (" + CsvFiles.rootMessage(e) + ")" : e.reason();
            syntaxError = new ManifestException(displayName, e.line(), reason + "; the rows before line " + e.line()
                    + " were processed, the rest of the file was not read: fix the file and run the job again", null);
            recordsRead++;
            position = bytes.size();
            return new CallRecord(new SourceRef(displayName, e.line()), base, Map.of(), reason + " (the read of "
                    + displayName + " ended here)");
        }
        if (row == null) {
            ended = true;
            position = bytes.size();
            return null;
        }
        long startLine = row.startLine();
        CSVRecord record = row.record();
        position = bytes.gzip() ? bytes.rawPosition() : record.getCharacterPosition();
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
        if (record.size() != logicalNames.size()) {
            problem = "the row has " + record.size() + " cell" + (record.size() == 1 ? "" : "s") + " but the header has "
                    + logicalNames.size() + " (a missing or extra comma, or a quote left open?)";
        }
        return new CallRecord(new SourceRef(displayName, startLine), base, values, problem);
    }

    private static boolean isGzipDamage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.zip.ZipException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The CSV syntax error that ended the last read early, if any: the rows before it were read as usual.
     *
     * @return the error naming the file and line, or null when the read went to the end (or is still going)
     */
    public @Nullable ManifestException syntaxError() {
        return syntaxError;
    }

    /**
     * Fails the step when a CSV syntax error ended the read: the rows before it went through as usual; the step (and
     * so the execution) ends FAILED with the error, file and line, as its reason; the next run restarts it.
     */
    @Override
    public @Nullable ExitStatus afterStep(StepExecution stepExecution) {
        ManifestException error = syntaxError;
        if (error == null) {
            return null;
        }
        stepExecution.setStatus(BatchStatus.FAILED);
        stepExecution.addFailureException(error);
        return ExitStatus.FAILED.addExitDescription(error.getMessage());
    }

    /**
     * How far the read has got, for progress: the start of the last record read as a share of the file's size, from
     * 0 to 1 (1 at the end). Characters over bytes, so an estimate for files with multi-byte characters; -1 before
     * {@link #open}. Safe to call from another thread.
     */
    public double readFraction() {
        long size = bytes.size();
        return size <= 0 ? -1 : Math.min(1.0, (double) position / size);
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(RECORDS_KEY, recordsRead);
        String eTag = bytes.eTag();
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

    private static void closeQuietly(java.io.@Nullable Closeable reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // the header error is what the user needs to see
            }
        }
    }

}
