package dev.calleval.export;

import dev.calleval.s3.S3Location;
import java.io.Writer;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Exports calls from the ledger as CSV or JSON Lines, streaming: memory does not grow with the number of calls (a
 * 1,000,000-call export fits the 256 MB heap of bench B3, docs/bench/export.md).
 *
 * <p>A CSV export reads the ledger twice: a first, cheap pass collects the names of every custom metric of the
 * exported calls (from the small {@code custom_metrics} column, no ordering), so that the header row can name one
 * column per metric before the first call is written; the second pass streams the calls. Only the set of names is
 * held. A call evaluated between the two passes may bring a metric name the header lacks: its value is then left out
 * (JSON Lines has every metric). Thread-safe.
 */
@Component
public class CallExport {
    private final ExportQueries queries;

    /** An export reading the ledger through {@code dataSource}, each pass in a read-only transaction of {@code transactionManager}. */
    public CallExport(DataSource dataSource, PlatformTransactionManager transactionManager) {
        this.queries = new ExportQueries(dataSource, transactionManager);
    }

    /** Whether the ledger holds any call of this job (a job export of a job without calls is "not found"). */
    public boolean hasCalls(String job) {
        return queries.hasCalls(job);
    }

    /**
     * Writes the scope's calls to {@code out} in {@code format}, and flushes it (does not close it).
     *
     * @return the number of calls written
     * @throws java.io.UncheckedIOException when writing fails
     * @throws org.springframework.dao.DataAccessException when the database fails
     */
    public long export(ExportScope scope, ExportFormat format, Writer out) {
        CallSink sink = switch (format) {
            case CSV -> {
                Set<String> names = new TreeSet<>();
                queries.addMetricNames(scope, names);
                yield new CsvExport(out, names);
            }
            case JSONL -> new JsonlExport(out);
        };
        long[] count = {0};
        queries.forEachCall(scope, call -> {
            sink.write(call);
            count[0]++;
        });
        sink.finish();
        return count[0];
    }

    /**
     * Where an export goes under an S3 location: a location ending in {@code /} (or a bare bucket) is a prefix, and the
     * export is {@code <prefix><job>/<execution id or window>.<csv|jsonl>} ({@link ExportScope#objectName}); any other
     * location is the object itself.
     */
    public static S3Location objectFor(S3Location output, ExportScope scope, ExportFormat format) {
        if (output.key().isEmpty() || output.key().endsWith("/")) {
            return new S3Location(output.bucket(), output.key() + scope.objectName(format));
        }
        return output;
    }
}
