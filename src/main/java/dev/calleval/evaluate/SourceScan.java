package dev.calleval.evaluate;

import dev.calleval.jobfile.JobDefinition;
import dev.calleval.ledger.Ledger;
import dev.calleval.mapping.CallMapper;
import dev.calleval.mapping.MappedCall;
import dev.calleval.s3.S3Storage;
import dev.calleval.source.CallRecord;
import dev.calleval.source.ManifestItemReader;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads every row of an evaluate job's source and maps it as {@code run} does, without the ledger, the API or a job
 * execution: what {@code validate JOB} and {@code run JOB --dry-run} go through. The same reader and mapper as the
 * submit step ({@link EvaluateJobFactory#reader}, {@link CallMapper}); a call whose agent and source id were read
 * before in the same source is rejected as a duplicate, with the reason the ledger gives it in a run
 * ({@link Ledger#duplicate}).
 */
public final class SourceScan {
    private SourceScan() {}

    /** Hears each row as it is read and mapped. */
    @FunctionalInterface
    public interface RowHandler {
        /**
         * @param record the row as read
         * @param call its mapping: accepted, or rejected (a duplicate of an earlier row included)
         * @param duplicate whether {@code call} is rejected as a duplicate of an earlier row
         */
        void row(CallRecord record, MappedCall call, boolean duplicate) throws Exception;
    }

    /**
     * Reads and maps every row of {@code definition}'s source (its parameters applied: {@link JobDefinition#withParameters}).
     *
     * @param warnings told the manifest header's warning (ignored columns, say) before the first row
     * @throws dev.calleval.source.ManifestException when the manifest cannot be read, or a CSV syntax error ends its read
     */
    public static void forEachRow(JobDefinition.Evaluate definition, S3Storage s3, Consumer<String> warnings, RowHandler handler) throws Exception {
        CallMapper mapper = new CallMapper(EvaluateJobFactory.mappingDefaults(definition), EvaluateJobFactory.s3Recordings(definition, s3));
        ItemStreamReader<CallRecord> reader = EvaluateJobFactory.reader(definition, s3, 1, true);
        Map<String, String> firstSeen = new HashMap<>();
        reader.open(new ExecutionContext());
        try {
            if (reader instanceof ManifestItemReader manifest) {
                manifest.header().warning().ifPresent(warnings);
            }
            CallRecord record;
            while ((record = reader.read()) != null) {
                MappedCall call = mapper.process(record);
                if (call instanceof MappedCall.Accepted a) {
                    String first = firstSeen.putIfAbsent(a.request().agentKey() + "/" + a.sourceId(), a.source().toString());
                    if (first != null) {
                        handler.row(record, Ledger.duplicate(a, first), true);
                        continue;
                    }
                }
                handler.row(record, call, false);
            }
        } finally {
            reader.close();
        }
    }
}
