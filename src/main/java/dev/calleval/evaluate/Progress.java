package dev.calleval.evaluate;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where a submit step stands: one progress line's figures.
 *
 * @param job the job's name
 * @param read rows read from the manifest so far
 * @param total rows in the manifest: exact once the read has reached its end, else estimated from the share of the
 *     file read; -1 when unknown
 * @param totalExact whether {@code total} is counted rather than estimated
 * @param submitted calls the API accepted in this run
 * @param alreadyDone rows an earlier run settled (accepted or refused by the API): not sent again
 * @param rejected rows rejected by local checks or by the API in this run
 * @param failed calls not accepted (retries exhausted, or the run stopped)
 * @param inDoubt calls left in doubt
 * @param leftOut calls left out by the job's {@code sampling:} (not in the sample, or past {@code max-calls})
 * @param callsPerSecond calls accepted per second over the last few seconds (since the previous line in log mode)
 * @param eta time left at the recent pace; null when unknown (no total, no pace yet, or nothing left)
 * @param budget this execution's share of its Bluejay account's budget, e.g. {@code budget 9.9 of 20/s (2 executions)};
 *     null when the client paces itself alone (docs/rate-budget.md)
 */
record Progress(String job, long read, long total, boolean totalExact, long submitted, long alreadyDone, long rejected,
        long failed, long inDoubt, long leftOut, double callsPerSecond, @Nullable Duration eta, @Nullable String budget) {

    /** Progress without calls left out by sampling and without a shared budget. */
    Progress(String job, long read, long total, boolean totalExact, long submitted, long alreadyDone, long rejected, long failed,
            long inDoubt, double callsPerSecond, @Nullable Duration eta) {
        this(job, read, total, totalExact, submitted, alreadyDone, rejected, failed, inDoubt, 0, callsPerSecond, eta, null);
    }

    /** Rows whose outcome in this run is final. */
    long settled() {
        return submitted + alreadyDone + rejected + failed + inDoubt + leftOut;
    }

    /**
     * The line shown, e.g. {@code sample: read 1200 of ~30000 rows (4 %), submitted 1100, rejected 37, 19.8 calls/s,
     * ETA 24m10s, budget 9.9 of 20/s (2 executions)}. Zero already-done, failed and in-doubt counts are left out to keep it short.
     */
    String line() {
        StringBuilder line = new StringBuilder(job).append(": read ").append(read);
        if (total >= 0) {
            line.append(" of ").append(totalExact ? "" : "~").append(total).append(" rows");
            if (total > 0) {
                line.append(" (").append(Math.min(100, read * 100 / total)).append(" %)");
            }
        } else {
            line.append(" rows");
        }
        line.append(", submitted ").append(submitted);
        if (alreadyDone > 0) {
            line.append(", already done ").append(alreadyDone);
        }
        line.append(", rejected ").append(rejected);
        if (failed > 0) {
            line.append(", failed ").append(failed);
        }
        if (inDoubt > 0) {
            line.append(", in doubt ").append(inDoubt);
        }
        if (leftOut > 0) {
            line.append(", left out by sampling ").append(leftOut);
        }
        line.append(", ").append(String.format(Locale.ROOT, "%.1f", callsPerSecond)).append(" calls/s");
        if (eta != null) {
            line.append(", ETA ").append(duration(eta));
        }
        if (budget != null) {
            line.append(", ").append(budget);
        }
        return line.toString();
    }

    /** {@code 45s}, {@code 14m03s}, {@code 2h05m}. */
    static String duration(Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
