package dev.calleval.cli;

import dev.calleval.report.RunSummary;
import java.io.PrintWriter;

/** The short summary printed at the end of a run. */
final class SummaryTable {
    private SummaryTable() {}

    static void print(RunSummary s, PrintWriter out) {
        out.println();
        out.printf("%s — execution %d — %s%n", s.job(), s.executionId(), s.status());
        if (s.exitDescription() != null && !s.status().equals("COMPLETED")) {
            out.printf("  reason: %s%n", s.exitDescription());
        }
        if (s.endpoint() != null) {
            out.printf("  %-26s %s%n", "Bluejay endpoint", s.endpoint());
        }
        out.printf("  %-26s %8d%n", "rows read", s.rowsRead());
        for (Object[] row : s.counts().rows()) {
            long n = (Long) row[1];
            if (n > 0 || row[0].equals("evaluated") || row[0].equals("rejected")) {
                out.printf("    %-24s %8d%n", row[0], n);
            }
        }
        out.printf("  %-26s %8d%s%n", "submitted by this run", s.submittedThisRun(),
                s.submittedThisRun() == 0 && s.counts().alreadyDone() > 0 && s.counts().notSampled() + s.counts().deferred() == 0
                        ? "  (nothing new to send: every call was already accepted by this endpoint)" : "");
        if (s.counts().runningElsewhere() > 0) {
            out.printf("  (running elsewhere: claimed by execution %s, still running when this run read them; it sends them)%n",
                    s.runningElsewhereExecutions().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
        }
        if (s.counts().inDoubtResent() > 0) {
            out.printf("  %-26s %8d  (left in flight by an earlier run; may be duplicates)%n", "re-sent in doubt", s.counts().inDoubtResent());
        }
        out.printf("  %-26s %8d  (429: %d, retries: %d, in doubt: %d)%n", "HTTP requests", s.requests().attempts(),
                s.requests().tooManyRequests(), s.requests().retries(), s.requests().inDoubt());
        if (!s.countsAddUp()) {
            out.printf("  WARNING: the counts add up to %d, not to the %d rows read%n", s.counts().total(), s.rowsRead());
        }
        out.printf("  report: %s/ (calls.csv, rejects.csv, summary.json, report.html)%n", s.reportDirectory());
    }
}
