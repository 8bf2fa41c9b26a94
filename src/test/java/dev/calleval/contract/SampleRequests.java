package dev.calleval.contract;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.evaluate.EvaluateJobFactory;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.mapping.CallMapper;
import dev.calleval.mapping.MappedCall;
import dev.calleval.source.CallRecord;
import dev.calleval.source.ColumnMapping;
import dev.calleval.source.ManifestItemReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * {@code POST /v1/evaluate} bodies made as a run makes them: the sample job ({@code jobs/sample.yaml}) is loaded,
 * its manifest ({@code sample-data/manifests/calls.csv}) read by {@link ManifestItemReader} with the job's column
 * mapping, and every row mapped by {@link CallMapper} with the job's defaults. Serialise them with
 * {@link BluejayJson#mapper()}, as the client does.
 */
final class SampleRequests {

    private static final Path JOBS = Path.of("jobs");

    /** The body variants a row is mapped into. */
    enum Variant {
        /** The row as read: {@code agent_id}, recording ({@code recording_base64}) and transcript from disk. */
        AGENT_ID("with agent_id"),
        /** The manifest's agent column mapped to {@code external_agent_id}: the other {@code anyOf} variant. */
        EXTERNAL_AGENT_ID("with external_agent_id"),
        /** Recording and transcript as https URLs ({@code recording_url}, {@code transcript_url}). */
        MEDIA_URLS("with recording and transcript URLs");

        private final String description;

        Variant(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private SampleRequests() {}

    /**
     * Every row of the sample manifest mapped into {@code variant}, in manifest order.
     *
     * @throws AssertionError if the mapping rejects a row (every sample row is valid)
     */
    static List<EvaluateRequest> all(Variant variant) {
        JobDefinition.Evaluate job = (JobDefinition.Evaluate) new JobDefinitions(JOBS).load("sample");
        Map<String, String> columns = new HashMap<>(job.source().columns());
        if (variant == Variant.EXTERNAL_AGENT_ID) {
            columns.put("external_agent_id", "agent_id");
        }
        UnaryOperator<CallRecord> rewrite = variant == Variant.MEDIA_URLS ? SampleRequests::withHttpsMedia : row -> row;
        CallMapper mapper = new CallMapper(EvaluateJobFactory.mappingDefaults(job));
        ManifestItemReader reader = new ManifestItemReader(job.manifestPath(), job.source().location(),
                new ColumnMapping(columns), false);
        List<EvaluateRequest> requests = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            CallRecord row;
            while ((row = reader.read()) != null) {
                MappedCall mapped = mapper.process(rewrite.apply(row));
                if (!(mapped instanceof MappedCall.Accepted accepted)) {
                    throw new AssertionError("sample row rejected by the mapping: " + mapped);
                }
                requests.add(accepted.request());
            }
        } finally {
            reader.close();
        }
        return requests;
    }

    /** The first sample row mapped into {@code variant}. */
    static EvaluateRequest first(Variant variant) {
        return all(variant).get(0);
    }

    /** The caller's id of a mapped request ({@code metadata.calleval_source_id}). */
    static String sourceId(EvaluateRequest request) {
        return String.valueOf(request.metadata() == null ? null : request.metadata().get("calleval_source_id"));
    }

    private static CallRecord withHttpsMedia(CallRecord row) {
        String callId = row.callId().orElseThrow();
        Map<String, String> values = new HashMap<>(row.values());
        values.put("recording", "https://storage.example.com/northwind/recordings/" + callId + ".wav");
        values.put("transcript", "https://storage.example.com/northwind/transcripts/" + callId + ".json");
        return new CallRecord(row.source(), row.baseDirectory(), values, row.problem());
    }
}
