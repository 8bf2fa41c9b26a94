package dev.calleval.enrich;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.calleval.report.RunSummary;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code summary.json} of one enrich job execution. Every log read ends in exactly one of the exclusive
 * {@code counts} (posted, already posted, rejected, failed, in doubt), which add up to {@code logsRead}
 * ({@code countsAddUp}). Times are UTC.
 *
 * @param status the job execution's status, e.g. COMPLETED or FAILED
 * @param source the directory or manifest read
 * @param endpoint the Bluejay endpoint the updates were posted to: {@code sandbox} for {@code --sandbox}, else the
 *     normalised base URL; {@code alreadyPosted} counts updates posted to this endpoint only
 * @param logsRead logs this execution read
 * @param resendInDoubt whether the run was told to post IN_DOUBT results again
 * @param postedIds results this run posted (Bluejay answered 2xx), in the order read
 * @param inDoubtIds results that ended IN_DOUBT: check them in Bluejay, then re-run with {@code --resend-in-doubt}
 *     for those without the update
 * @param failedIds results not applied (retries exhausted, or the run stopped): the next run posts them
 * @param rejections one line per rejected log: {@code file: field: reason}
 * @param requests HTTP attempts, 429 answers, retries and ambiguous failures of this execution's client
 */
@JsonPropertyOrder({"job", "executionId", "status", "exitDescription", "startTime", "endTime", "source", "endpoint", "logsRead", "resendInDoubt",
        "counts", "countsAddUp", "postedIds", "inDoubtIds", "failedIds", "rejections", "requests", "reportDirectory"})
public record EnrichSummary(
        String job,
        long executionId,
        String status,
        @Nullable String exitDescription,
        @Nullable Instant startTime,
        @Nullable Instant endTime,
        String source,
        @Nullable String endpoint,
        long logsRead,
        boolean resendInDoubt,
        Counts counts,
        boolean countsAddUp,
        List<String> postedIds,
        List<String> inDoubtIds,
        List<String> failedIds,
        List<String> rejections,
        RunSummary.Requests requests,
        String reportDirectory) {

    /**
     * Where each log read ended.
     *
     * @param posted posted by this run (2xx)
     * @param alreadyPosted posted by an earlier run: not posted again (includes {@code changedInputIgnored})
     * @param rejected invalid, a second log for one result, or refused by Bluejay (now or earlier, log unchanged)
     * @param failed not applied; the next run posts it
     * @param inDoubt the update may have been applied: left for an operator ({@code --resend-in-doubt})
     * @param changedInputIgnored of {@code alreadyPosted}: the log changed since it was posted; not posted, as a
     *     second post would duplicate the tool calls
     * @param resentInDoubt of the logs this run posted: IN_DOUBT results posted again as asked
     */
    @JsonPropertyOrder({"posted", "alreadyPosted", "rejected", "failed", "inDoubt", "changedInputIgnored", "resentInDoubt"})
    public record Counts(long posted, long alreadyPosted, long rejected, long failed, long inDoubt, long changedInputIgnored,
            long resentInDoubt) {

        /** The sum of the exclusive counts. */
        public long total() {
            return posted + alreadyPosted + rejected + failed + inDoubt;
        }
    }

    /** Every log read is POSTED now or was before: nothing failed, in doubt or rejected, and the counts add up. */
    public boolean allPosted() {
        return "COMPLETED".equals(status) && countsAddUp && counts.rejected() == 0 && counts.failed() == 0 && counts.inDoubt() == 0;
    }
}
