package dev.calleval.cli;

import dev.calleval.enrich.EnrichSummary;
import java.io.PrintWriter;
import java.util.List;

/** The short summary printed at the end of an enrich run: counts, the ids posted, in doubt and failed, rejections. */
final class EnrichSummaryTable {
    /** Ids or rejections printed per list; the report has them all. */
    static final int MAX_LISTED = 20;

    private EnrichSummaryTable() {}

    static void print(EnrichSummary s, PrintWriter out) {
        EnrichSummary.Counts c = s.counts();
        out.println();
        out.printf("%s — execution %d — %s%n", s.job(), s.executionId(), s.status());
        if (s.exitDescription() != null && !s.status().equals("COMPLETED")) {
            out.printf("  reason: %s%n", s.exitDescription());
        }
        if (s.endpoint() != null) {
            out.printf("  %-30s %s%n", "Bluejay endpoint", s.endpoint());
        }
        out.printf("  %-30s %6d  (%s)%n", "logs read", s.logsRead(), s.source());
        out.printf("    %-28s %6d%n", "posted", c.posted());
        out.printf("    %-28s %6d%s%n", "already posted (not sent)", c.alreadyPosted(),
                c.changedInputIgnored() > 0 ? "  (" + c.changedInputIgnored() + " changed since: already posted; changed input ignored)" : "");
        out.printf("    %-28s %6d%n", "rejected", c.rejected());
        out.printf("    %-28s %6d%n", "failed (next run posts them)", c.failed());
        out.printf("    %-28s %6d%n", "in doubt (not posted again)", c.inDoubt());
        if (c.resentInDoubt() > 0) {
            out.printf("  %-30s %6d  (--resend-in-doubt)%n", "in doubt, posted again", c.resentInDoubt());
        }
        list(out, "posted", s.postedIds(), "");
        list(out, "in doubt", s.inDoubtIds(), "the update may have been applied: check these in Bluejay, then run again with "
                + "--resend-in-doubt to post the ones without it");
        list(out, "failed", s.failedIds(), "not applied: the next run posts them");
        if (!s.rejections().isEmpty()) {
            out.println("  rejected (never posted):");
            s.rejections().stream().limit(MAX_LISTED).forEach(r -> out.printf("    %s%n", r));
            if (s.rejections().size() > MAX_LISTED) {
                out.printf("    … and %d more (rejects.csv)%n", s.rejections().size() - MAX_LISTED);
            }
        }
        out.printf("  %-30s %6d  (429: %d, retries: %d, in doubt: %d)%n", "HTTP requests", s.requests().attempts(),
                s.requests().tooManyRequests(), s.requests().retries(), s.requests().inDoubt());
        if (!s.countsAddUp()) {
            out.printf("  WARNING: the counts add up to %d, not to the %d logs read%n", c.total(), s.logsRead());
        }
        out.printf("  report: %s/ (updates.csv, rejects.csv, summary.json)%n", s.reportDirectory());
    }

    private static void list(PrintWriter out, String label, List<String> ids, String note) {
        if (ids.isEmpty()) {
            return;
        }
        String shown = String.join(", ", ids.subList(0, Math.min(ids.size(), MAX_LISTED)))
                + (ids.size() > MAX_LISTED ? ", … and " + (ids.size() - MAX_LISTED) + " more (updates.csv)" : "");
        out.printf("  %-9s %s%n", label + ":", shown);
        if (!note.isEmpty()) {
            out.printf("  %-9s (%s)%n", "", note);
        }
    }
}
