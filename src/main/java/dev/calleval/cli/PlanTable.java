package dev.calleval.cli;

import dev.calleval.plan.Plan;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Locale;

/** The plan printed by {@code run JOB --dry-run}: the counts of {@code plan.json}, time at the rate limit and cost. */
final class PlanTable {
    private PlanTable() {}

    static void print(Plan p, PrintWriter out) {
        out.println();
        out.printf("%s — plan (dry run: nothing sent, nothing recorded)%n", p.job());
        out.printf("  %-30s %s%n", "Bluejay endpoint", p.endpoint());
        out.printf("  %-30s %s%n", "sampling", p.sampling());
        out.printf("  %-30s %8d%n", "rows read", p.rows());
        out.printf("    %-28s %8d%n", "valid", p.valid());
        out.printf("    %-28s %8d%n", "rejected", p.rejected());
        out.printf("    %-28s %8d%n", "already done (not sent)", p.alreadyDone());
        optional(out, "already rejected (not sent)", p.alreadyRejected());
        optional(out, "running elsewhere (not sent)", p.runningElsewhere());
        optional(out, "not sampled (not sent)", p.notSampled());
        optional(out, "deferred (next run)", p.deferred());
        out.printf("  %-30s %8d%s%n", "to send", p.toSend(),
                p.inDoubtToResend() > 0 ? "  (" + p.inDoubtToResend() + " left in doubt by an earlier run: looked up first, may be duplicates)" : "");
        out.printf("  %-30s %s%n", "time at the rate limit", p.secondsAtRateLimit() == null ? "no estimate (submit.rate-limit 0: unlimited)"
                : duration(p.secondsAtRateLimit()) + " at " + rate(p.rateLimit()) + " request(s)/s (at least: one request per call, no retries)");
        if (p.cost() != null && p.costPerCall() != null) {
            out.printf("  %-30s %s  (%d × %s per call, in the unit of defaults.cost-per-call)%n", "cost", p.cost().toPlainString(),
                    p.toSend(), p.costPerCall().toPlainString());
        } else {
            out.printf("  %-30s %s%n", "cost", "not shown (set defaults.cost-per-call)");
        }
        if (!p.countsAddUp()) {
            out.printf("  WARNING: the counts do not add up to the %d rows read%n", p.rows());
        }
        out.printf("  plan: %s (every row's decision: %s)%n", java.nio.file.Path.of(p.calls()).resolveSibling("plan.json"), p.calls());
    }

    private static void optional(PrintWriter out, String label, long n) {
        if (n > 0) {
            out.printf("    %-28s %8d%n", label, n);
        }
    }

    private static String rate(double rate) {
        return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
    }

    /** {@code 0.8 s}, {@code 12 m 30 s}, {@code 2 h 05 m}. */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = (long) Math.ceil(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        }
        long minutes = (s + 59) / 60;
        return String.format(Locale.ROOT, "%d h %02d m", minutes / 60, minutes % 60);
    }
}
