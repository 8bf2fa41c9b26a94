package dev.calleval.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code summary.json} of one job execution. {@code counts} add up to {@code rowsRead}: every input row is in
 * exactly one of them. Times are UTC.
 *
 * @param status the job execution's status, e.g. COMPLETED or FAILED
 * @param endpoint the Bluejay endpoint the execution sent to: {@code sandbox} for {@code --sandbox}, else the normalised
 *     base URL (e.g. {@code https://api.getbluejay.ai}); null for an execution from before endpoints were recorded.
 *     {@code alreadyDone} counts calls done at this endpoint only
 * @param rowsRead input rows this execution read
 * @param submittedThisRun calls this execution sent and the API accepted (SUBMITTED or later)
 * @param runningElsewhereExecutions the other executions, still running, that this one left calls to (see
 *     {@link Counts#runningElsewhere}), in ascending order; empty when none
 * @param requests HTTP attempts, 429 answers and retries of this execution's client
 */
@JsonPropertyOrder({"job", "executionId", "status", "exitDescription", "startTime", "endTime", "source", "endpoint", "rowsRead",
        "submittedThisRun", "counts", "countsAddUp", "runningElsewhereExecutions", "requests", "reportDirectory"})
public record RunSummary(
        String job,
        long executionId,
        String status,
        @Nullable String exitDescription,
        @Nullable Instant startTime,
        @Nullable Instant endTime,
        String source,
        @Nullable String endpoint,
        long rowsRead,
        long submittedThisRun,
        Counts counts,
        boolean countsAddUp,
        List<Long> runningElsewhereExecutions,
        Requests requests,
        String reportDirectory) {

    /**
     * Where each input row ended.
     *
     * @param waitingForResult submitted, no result yet, still within the result window
     * @param inDoubt left PENDING: the process stopped while the request was in flight, or the request failed
     *     ambiguously and a lookup could not tell whether the call exists. The next run sends it again, flagged
     * @param alreadyDone accepted by the same endpoint in an earlier run: not sent again
     * @param runningElsewhere claimed by another execution that was still running (overlapping runs): that one sends
     *     them; not sent by this run, and not in doubt
     * @param inDoubtResent of the rows sent by this run, those sent again after an earlier run left them in doubt
     * @param notSampled valid calls outside the job's {@code sampling.percent}: recorded NOT_SAMPLED, not sent
     * @param deferred calls in the sample past the run's {@code sampling.max-calls}: recorded DEFERRED, the next run
     *     sends them
     */
    @JsonPropertyOrder({"evaluated", "incomplete", "waitingForResult", "overdue", "failed", "inDoubt", "rejected", "alreadyDone",
            "runningElsewhere", "notSampled", "deferred", "inDoubtResent"})
    public record Counts(long evaluated, long incomplete, long waitingForResult, long overdue, long failed, long inDoubt,
            long rejected, long alreadyDone, long runningElsewhere, long inDoubtResent, long notSampled, long deferred) {

        /** Counts of a run that left no call out by sampling. */
        public Counts(long evaluated, long incomplete, long waitingForResult, long overdue, long failed, long inDoubt, long rejected,
                long alreadyDone, long runningElsewhere, long inDoubtResent) {
            this(evaluated, incomplete, waitingForResult, overdue, failed, inDoubt, rejected, alreadyDone, runningElsewhere, inDoubtResent, 0, 0);
        }

        /** The sum of the exclusive counts (all but {@code inDoubtResent}). */
        public long total() {
            return evaluated + incomplete + waitingForResult + overdue + failed + inDoubt + rejected + alreadyDone + runningElsewhere
                    + notSampled + deferred;
        }

        /** The counts as label/value pairs, for the printed table. */
        public List<Object[]> rows() {
            return List.of(new Object[] {"evaluated", evaluated}, new Object[] {"incomplete", incomplete},
                    new Object[] {"waiting for result", waitingForResult}, new Object[] {"overdue", overdue},
                    new Object[] {"failed (will retry)", failed}, new Object[] {"in doubt", inDoubt},
                    new Object[] {"rejected", rejected}, new Object[] {"already done (not sent)", alreadyDone},
                    new Object[] {"running elsewhere (not sent)", runningElsewhere},
                    new Object[] {"not sampled (not sent)", notSampled}, new Object[] {"deferred (next run)", deferred});
        }
    }

    /**
     * Requests this execution made to Bluejay.
     *
     * @param inDoubt requests that failed ambiguously (the call may exist) and were therefore not retried blindly
     */
    public record Requests(long attempts, long tooManyRequests, long retries, long inDoubt) {}
}
