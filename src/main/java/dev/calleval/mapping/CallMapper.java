package dev.calleval.mapping;

import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.redaction.RedactionCounts;
import dev.calleval.redaction.Redactor;
import dev.calleval.redaction.RequestRedactor;
import dev.calleval.source.CallRecord;
import dev.calleval.transcript.TranscriptConverter;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Maps one manifest row to a {@code POST /v1/evaluate} body (§1.1), or to a rejection listing every problem
 * found. Field sources (manifest column → request field):
 * <ul>
 *   <li>{@code call_id} → the source id, sent as {@code trace_id} (unless a {@code trace_id} column is mapped)
 *       and as {@code metadata.calleval_source_id}; required, at most 1000 characters (the ledger's column);</li>
 *   <li>{@code agent_id} / {@code external_agent_id} → the same fields (§1.1; or the job's defaults when the row
 *       has neither); exactly one of them: {@code agent_id} at most 200 characters, {@code external_agent_id} 196
 *       (the ledger's agent key);</li>
 *   <li>{@code start_time_utc} → {@code start_time_utc} (§1.1): ISO-8601 with an offset or {@code Z}, converted to UTC;</li>
 *   <li>{@code agent_name}, {@code agent_phone}, {@code agent_spoke_first}, {@code customer_name},
 *       {@code customer_phone} → the two {@code participants} (§1.2); a sidecar's {@code participants} replaces them;</li>
 *   <li>{@code recording}: an http(s) URL → {@code recording_url}; a local path (relative to the manifest) →
 *       {@code recording_base64} as a data URL streamed from disk; an S3 object ({@code s3://bucket/key}, or a
 *       path relative to an S3 manifest) → a presigned GET URL as {@code recording_url} (or inline when the URL
 *       is too long and the job says so, see {@link S3Recordings});</li>
 *   <li>{@code transcript}: an http(s) URL → {@code transcript_url}; a path → inline {@code transcript} (§1.3), converted from
 *       its format (detected, or {@code transcript_format}, or the job's {@code transcript.format}) by the
 *       {@link TranscriptConverter}; tool calls the file carries (Vapi, Retell) are used when the row gives none of its
 *       own (sidecar or {@code tool_calls});</li>
 *   <li>{@code tool_calls} → {@code tool_calls} (§1.4), {@code events} → {@code events} (§1.5): paths to JSON files
 *       (a list, or an object holding it), offsets in integer ms from call start; each replaces the sidecar's;</li>
 *   <li>{@code sidecar}: a JSON file that may give {@code participants}, {@code tool_calls}, {@code events},
 *       {@code tags} and {@code metadata};</li>
 *   <li>every path is resolved against the manifest's folder, or its prefix for a manifest in S3, and may be an
 *       {@code s3://} location;</li>
 *   <li>{@code call_direction}, {@code interface}, {@code conversation_ended_by} → the same fields (§1.1): enums,
 *       case-insensitive;</li>
 *   <li>{@code tags}, {@code custom_metrics} (UUIDs), {@code custom_metric_tags} → the same fields (§1.1):
 *       {@code ;}-separated, added to the job's defaults (and the sidecar's tags) without repeats; {@code label},
 *       {@code multichannel} (true/false, yes/no, y/n, 1/0);</li>
 *   <li>{@code metadata} (§1.1): the job's, then the sidecar's, then every {@code metadata.<key>} column, then
 *       {@code calleval_job} and {@code calleval_source_id}, later ones winning.</li>
 * </ul>
 * The work is done in three stages, so that each mapping rule can be tested without files:
 * <ol>
 *   <li>{@link CallInputs} reads every file the row names (locally or from S3) and presigns S3 recordings, keeping
 *       a problem per column for what it cannot read;</li>
 *   <li>{@link CallMappingRules} applies the rules above to the row and those contents, and checks the request with
 *       the {@link RequestValidator}: a pure function;</li>
 *   <li>with the job's {@code redaction:} on, a valid request is redacted ({@link RequestRedactor}: transcript,
 *       tool calls, events, metadata, participants; the recording left out unless kept), and a row whose transcript is
 *       a URL is rejected, since Bluejay would fetch it unredacted;</li>
 *   <li>a valid request is fingerprinted ({@link MappedCall.Accepted#fingerprint()}), after redaction.</li>
 * </ol>
 * Rejections name each field and reason, in the order {@link CallMappingRules} states.
 * Thread-safe and stateless apart from its configuration.
 */
public final class CallMapper implements ItemProcessor<CallRecord, MappedCall> {
    /** Metadata calleval adds to find a result again: sent as it is even when redaction is on. */
    static final Set<String> CORRELATION_KEYS = Set.of("calleval_source_id", "calleval_job");

    private final CallInputs inputs;
    private final CallMappingRules rules;
    private final @Nullable RequestRedactor redactor;
    /** Redacts the reasons of a rejection (they may quote a transcript line or a speaker label); null without redaction. */
    private final @Nullable Redactor reasons;

    /** A mapper without S3 access: rows naming {@code s3://} files are rejected saying so. */
    public CallMapper(MappingDefaults defaults) {
        this(defaults, null);
    }

    /**
     * @param s3 how {@code s3://} inputs are read and recordings delivered; null when S3 is not available
     */
    public CallMapper(MappingDefaults defaults, @Nullable S3Recordings s3) {
        this.inputs = new CallInputs(defaults, s3);
        this.rules = new CallMappingRules(defaults);
        this.redactor = defaults.redaction() == null ? null : new RequestRedactor(defaults.redaction(), CORRELATION_KEYS);
        this.reasons = defaults.redaction() == null ? null : new Redactor(defaults.redaction());
    }

    /**
     * Maps one row: never throws for bad input, which becomes a {@link MappedCall.Rejected} listing every problem.
     *
     * @return the request with its fingerprint, or the rejection
     */
    @Override
    public MappedCall process(CallRecord row) {
        CallMappingRules.Result result = rules.map(row, inputs.read(row));
        if (result instanceof CallMappingRules.Valid valid) {
            EvaluateRequest request = valid.request();
            RedactionCounts redactions = null;
            if (redactor != null) {
                if (request.transcriptUrl() != null) {
                    return new MappedCall.Rejected(row.source(), valid.sourceId(), List.of(new Problem("transcript", "a transcript URL is "
                            + "fetched by Bluejay and cannot be redacted (redaction is on): give the transcript as a local or s3:// file")));
                }
                RequestRedactor.Redacted redacted = redactor.redact(request);
                request = redacted.request();
                redactions = redacted.counts();
            }
            // a presigned URL is signed anew each run: the object and its ETag stand for it, so an unchanged call keeps its fingerprint;
            // with redaction on, the redacted request is fingerprinted (the ledger never holds a hash of the original values)
            String fingerprint = Fingerprint.of(valid.recordingIdentity() == null || request.recordingUrl() == null ? request
                    : request.withRecordingUrl(valid.recordingIdentity()));
            return new MappedCall.Accepted(row.source(), valid.sourceId(), request, fingerprint, valid.transcriptFormat(), valid.transcriptRef(),
                    redactions);
        }
        MappedCall.Rejected rejection = ((CallMappingRules.Invalid) result).rejection();
        return reasons == null ? rejection : redacted(rejection, row);
    }

    /**
     * A rejection whose reasons are redacted as the request would have been: a reason may quote the row's input (a
     * transcript line, a speaker label), and it goes to the log, the {@code rejection} table, rejects.csv and plan.csv.
     */
    private MappedCall.Rejected redacted(MappedCall.Rejected rejection, CallRecord row) {
        List<String> names = java.util.stream.Stream.of("agent_name", "customer_name").map(row::value)
                .flatMap(java.util.Optional::stream).filter(n -> !n.isBlank()).toList();
        Redactor redactor = java.util.Objects.requireNonNull(reasons);
        return new MappedCall.Rejected(rejection.source(), rejection.sourceId(), rejection.problems().stream()
                .map(p -> new Problem(p.field(), redactor.redact(p.reason(), names).text())).toList());
    }
}
