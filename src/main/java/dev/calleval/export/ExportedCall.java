package dev.calleval.export;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.calleval.bluejay.CustomMetricResult;
import dev.calleval.bluejay.Evaluation;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One exported call, in the shape of one JSON Lines record (snake_case; the CSV flattens it, docs/export.md).
 *
 * @param job the job the call belongs to
 * @param executionId the exported execution; for a job export, the execution that last read the call
 * @param disposition what the exported execution did with the call ({@code CLAIMED}, {@code ALREADY_DONE}, ...);
 *     null in a job export
 * @param state the call's ledger state now ({@code EVALUATED}, {@code SUBMITTED}, ...)
 * @param evaluation the newest evaluation (API reference §2.3) without its custom metrics, null without a result
 * @param customMetrics the evaluation's custom metric results by name, in the order Bluejay sent them
 */
record ExportedCall(
        String job,
        @Nullable Long executionId,
        @Nullable String disposition,
        Source source,
        Bluejay bluejay,
        String state,
        @JsonIgnoreProperties("custom_metrics") @Nullable Evaluation evaluation,
        Map<String, CustomMetricResult> customMetrics,
        Submission submission) {

    /**
     * Where the call came from.
     *
     * @param location the manifest file (as the job named it) or the S3 call group ({@code s3://bucket/baseKey})
     * @param line the 1-based line of its row (line 1 is the header); 0 for a source without lines (S3 groups)
     * @param agent the agent the call is keyed under in the ledger
     * @param label the {@code label} it was sent with, null when none (or sent before this was recorded)
     * @param metadata the {@code metadata} object it was sent with, as JSON (after any redaction), or null
     */
    record Source(String location, long line, String sourceId, String agent, @Nullable String label,
                  @JsonRawValue @Nullable String metadata) {}

    /**
     * Bluejay's side of the call.
     *
     * @param endpoint {@code sandbox} or the normalised base URL the call was sent to
     * @param callId Bluejay's call id, null until accepted
     * @param status Bluejay's call status when the result arrived ({@code COMPLETED}, {@code INCOMPLETED}), or null
     * @param evaluationId the id of the newest evaluation, or null
     */
    record Bluejay(String endpoint, @Nullable String callId, @Nullable String status, @Nullable String evaluationId) {}

    /**
     * The submission history.
     *
     * @param attempts HTTP attempts of {@code POST /v1/evaluate} over every run
     * @param inDoubt whether a request's outcome was unknown (the call may have been sent twice)
     * @param firstReadAt when the call first reached the ledger (UTC)
     * @param submittedAt when Bluejay accepted it (UTC), or null
     * @param resultAt when its result was recorded (UTC), or null
     * @param resultVia {@code WEBHOOK} or {@code POLL}, or null
     * @param lastError the last failure or rejection reason, or null
     * @param reevaluations rounds of {@code reevaluate} in which Bluejay accepted a re-evaluation of the call
     *     ({@link ExportQueries#reevaluations})
     */
    record Submission(int attempts, boolean inDoubt, Instant firstReadAt, @Nullable Instant submittedAt,
                      @Nullable Instant resultAt, @Nullable String resultVia, @Nullable String lastError, int reevaluations) {}
}
