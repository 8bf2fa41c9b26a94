package dev.calleval.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a run of an evaluate job would do now ({@code plan.json}; {@code run JOB --dry-run}). The counts of the rows add
 * up to {@code rows}: {@code rejected + alreadyDone + alreadyRejected + runningElsewhere + notSampled + deferred + toSend}.
 *
 * @param source the manifest or S3 prefix, as reports show it
 * @param endpoint the Bluejay endpoint the plan was made for ({@code sandbox} or a normalised base URL): the ledger's
 *     rows of that endpoint decide what is already done
 * @param createdAt when the plan was made (UTC)
 * @param rows rows read
 * @param valid rows that map to a valid request (duplicates of an earlier row not included)
 * @param rejected rows that fail local validation, or repeat an earlier row's call_id
 * @param alreadyDone valid calls the endpoint has accepted before: not sent
 * @param alreadyRejected valid calls the API refused before with the same input: not sent
 * @param runningElsewhere calls another execution, still running, is sending: left to it
 * @param notSampled calls outside {@code sampling.percent}: a run records them NOT_SAMPLED, sends nothing
 * @param deferred calls past {@code sampling.max-calls}: a run records them DEFERRED, the next run sends them
 * @param toSend calls a run would send now (after sampling and the cap)
 * @param inDoubtToResend of {@code toSend}, calls an earlier run left in doubt (looked up first; may be duplicates)
 * @param sampling the job's sampling as written, e.g. {@code 10 % of source ids, at most 5000 per run}
 * @param rateLimit requests per second the estimate assumes (0: unlimited)
 * @param secondsAtRateLimit {@code toSend / rateLimit}: the least time sending takes at the rate limit (one request per
 *     call, no retries); null when the rate is unlimited
 * @param costPerCall {@code defaults.cost-per-call}, in the operator's own unit (no currency is assumed); null when not set
 * @param cost {@code toSend × costPerCall}, in the same unit; null when no cost per call is set
 * @param calls where every row's decision is listed ({@code plan.csv})
 */
@JsonPropertyOrder({"job", "source", "endpoint", "createdAt", "rows", "valid", "rejected", "alreadyDone", "alreadyRejected",
        "runningElsewhere", "notSampled", "deferred", "toSend", "inDoubtToResend", "countsAddUp", "sampling", "rateLimit",
        "secondsAtRateLimit", "costPerCall", "cost", "calls"})
public record Plan(String job, String source, String endpoint, Instant createdAt, long rows, long valid, long rejected, long alreadyDone,
        long alreadyRejected, long runningElsewhere, long notSampled, long deferred, long toSend, long inDoubtToResend, String sampling,
        double rateLimit, @Nullable Double secondsAtRateLimit, @Nullable BigDecimal costPerCall, @Nullable BigDecimal cost, String calls) {

    /** Whether every row read is in exactly one of the counts. */
    @JsonProperty
    public boolean countsAddUp() {
        return rejected + alreadyDone + alreadyRejected + runningElsewhere + notSampled + deferred + toSend == rows;
    }
}
