package dev.calleval.quality;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Compares the figures of a baseline with those of a candidate, group by group, and decides regressions — the one
 * rule shared by {@code compare}, the trend section of {@code report.html} and alerts:
 *
 * <blockquote>A figure has regressed when it moved in its bad direction by more than its threshold (in pp, % of the
 * baseline's value, or its own unit) and — when a significance test could be run for it — that move is significant
 * ({@code p < alpha}). A figure without a test (latency percentiles; a mean over fewer than two values on a side) is
 * judged by its threshold alone. A figure missing on either side is not judged.</blockquote>
 *
 * Pure: no I/O; thread-safe.
 *
 * @param thresholds the thresholds that apply
 * @param alpha the significance level, 0 < alpha < 1 (default 0.05)
 */
public record Comparison(Thresholds thresholds, double alpha) {
    /** The significance level used unless one is given. */
    public static final double DEFAULT_ALPHA = 0.05;

    /** @throws IllegalArgumentException unless 0 < alpha < 1 */
    public Comparison {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be between 0 and 1 (e.g. 0.05), got " + alpha);
        }
    }

    /** Every figure of every group present on either side, in the order of {@code baseline}'s then {@code candidate}'s groups. */
    public List<Change> compare(Map<String, Figures> baseline, Map<String, Figures> candidate) {
        Set<String> groups = new LinkedHashSet<>(baseline.keySet());
        groups.addAll(candidate.keySet());
        List<Change> changes = new ArrayList<>();
        for (String group : groups) {
            changes.addAll(compare(group, baseline.getOrDefault(group, new Figures()), candidate.getOrDefault(group, new Figures())));
        }
        return changes;
    }

    /** Every figure of one group. */
    public List<Change> compare(String group, Figures baseline, Figures candidate) {
        Map<String, Measure> before = baseline.measures();
        Map<String, Measure> after = candidate.measures();
        Set<String> metrics = new LinkedHashSet<>(before.keySet());
        metrics.addAll(after.keySet());
        List<Change> changes = new ArrayList<>();
        for (String metric : metrics) {
            Measure b = before.get(metric);
            Measure a = after.get(metric);
            if (b != null && a != null && b.getClass() != a.getClass()) {
                continue; // a custom metric pass/fail on one side and numeric on the other: not comparable
            }
            changes.add(change(group, metric, b, a));
        }
        return changes;
    }

    private Change change(String group, String metric, @Nullable Measure before, @Nullable Measure after) {
        Measure shape = before != null ? before : after;
        String kind = shape instanceof Measure.Proportion ? "rate" : metric.startsWith("latency_") ? "seconds" : "mean";
        Double b = value(before);
        Double a = value(after);
        Significance.Result test = test(metric, before, after);
        boolean significant = test.pValue() != null && test.pValue() < alpha;
        Double difference = b != null && a != null ? a - b : null;
        Threshold threshold = null;
        boolean exceeded = false;
        for (Threshold.Direction direction : Threshold.Direction.values()) {
            Threshold t = thresholds.of(metric, direction).orElse(null);
            if (t == null) {
                continue;
            }
            boolean beyond = difference != null && beyond(t, b, difference);
            if (threshold == null || beyond) {
                threshold = t;
                exceeded = beyond;
            }
        }
        boolean regression = exceeded && (test.pValue() == null || significant);
        return new Change(group, metric, kind, b, a, before == null ? 0 : before.size(), after == null ? 0 : after.size(), difference,
                test.test(), test.pValue(), significant, test.smallSample(), threshold, exceeded, regression);
    }

    /** True when the move {@code difference} from {@code baseline} goes beyond {@code t} in its direction. */
    static boolean beyond(Threshold t, double baseline, double difference) {
        double bad = t.direction() == Threshold.Direction.DROP ? -difference : difference;
        if (bad <= 0) {
            return false;
        }
        double moved = switch (t.unit()) {
            case PP -> bad * 100;
            case PERCENT -> baseline == 0 ? Double.POSITIVE_INFINITY : bad / Math.abs(baseline) * 100;
            case ABSOLUTE -> bad;
        };
        return moved > t.amount() + 1e-9;
    }

    private static Significance.Result test(String metric, @Nullable Measure before, @Nullable Measure after) {
        if (before instanceof Measure.Proportion p1 && after instanceof Measure.Proportion p2) {
            return Significance.twoProportions(p1.successes(), p1.trials(), p2.successes(), p2.trials());
        }
        if (before instanceof Measure.Sample s1 && after instanceof Measure.Sample s2 && s1.statistic() == Measure.Statistic.MEAN) {
            return Significance.welch(s1.values(), s2.values());
        }
        if (metric.startsWith("latency_")) {
            return new Significance.Result(Significance.NONE, null, false);
        }
        return new Significance.Result(before instanceof Measure.Proportion || after instanceof Measure.Proportion ? Significance.Z_TEST
                : Significance.WELCH, null, true);
    }

    private static @Nullable Double value(@Nullable Measure m) {
        if (m == null || m.size() == 0) {
            return null;
        }
        double v = m.value();
        return Double.isFinite(v) ? v : null;
    }
}
