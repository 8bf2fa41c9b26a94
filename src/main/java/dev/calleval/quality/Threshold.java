package dev.calleval.quality;

import java.util.Locale;

/**
 * How far one figure may move in its bad direction before it is a regression: {@code --max-drop goal_success=5pp},
 * {@code --max-rise latency_p90=20%}, {@code --max-rise latency_p90=0.3} (docs/compare-and-alerts.md, "Thresholds").
 *
 * @param metric the figure: {@code goal_success}, {@code hallucination}, {@code latency_p50}, {@code latency_p90} or
 *     {@code metric:<custom metric name>} (its pass rate or its mean)
 * @param direction which way is bad: {@link Direction#DROP} (the figure falls) or {@link Direction#RISE}
 * @param amount the largest allowed move, at least 0, in {@code unit}
 * @param unit {@link Unit#PP} percentage points (rates only), {@link Unit#PERCENT} relative to the baseline's value, or
 *     {@link Unit#ABSOLUTE} the figure's own unit (seconds for latencies, the metric's scale for a mean)
 */
public record Threshold(String metric, Direction direction, double amount, Unit unit) {

    /** The way a figure moves that the threshold limits. */
    public enum Direction {
        DROP("max-drop"), RISE("max-rise");

        private final String option;

        Direction(String option) {
            this.option = option;
        }

        /** The option or key that sets it: {@code max-drop} or {@code max-rise}. */
        public String option() {
            return option;
        }
    }

    /** The unit of a threshold's amount. */
    public enum Unit { PP, PERCENT, ABSOLUTE }

    /** @throws IllegalArgumentException for a blank metric, a negative or non-finite amount, or pp on a latency */
    public Threshold {
        if (metric.isBlank()) {
            throw new IllegalArgumentException("a threshold names a metric");
        }
        if (!Double.isFinite(amount) || amount < 0) {
            throw new IllegalArgumentException(metric + ": the amount must be a number of at least 0, got " + amount);
        }
        if (unit == Unit.PP && metric.startsWith("latency_")) {
            throw new IllegalArgumentException(metric + " is in seconds: give its threshold in % (relative) or as a number of seconds, not in pp");
        }
    }

    /** Known figure names besides {@code metric:NAME}. */
    static final java.util.List<String> FIGURES = java.util.List.of("goal_success", "hallucination", "latency_p50", "latency_p90");

    /**
     * Parses {@code METRIC=AMOUNT} with AMOUNT {@code 5pp}, {@code 20%} or {@code 0.3}.
     *
     * @throws IllegalArgumentException naming the text and what is expected
     */
    public static Threshold parse(Direction direction, String text) {
        int eq = text.lastIndexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("--" + direction.option() + " '" + text + "': expected METRIC=AMOUNT, e.g. goal_success=5pp, "
                    + "latency_p90=20% or latency_p90=0.5");
        }
        String metric = text.substring(0, eq).strip();
        String amount = text.substring(eq + 1).strip().toLowerCase(Locale.ROOT);
        if (!FIGURES.contains(metric) && !(metric.startsWith("metric:") && metric.length() > "metric:".length())) {
            throw new IllegalArgumentException("--" + direction.option() + " '" + text + "': unknown metric '" + metric + "' (use "
                    + String.join(", ", FIGURES) + " or metric:<custom metric name>)");
        }
        Unit unit = amount.endsWith("pp") ? Unit.PP : amount.endsWith("%") ? Unit.PERCENT : Unit.ABSOLUTE;
        String number = amount.substring(0, amount.length() - (unit == Unit.PP ? 2 : unit == Unit.PERCENT ? 1 : 0)).strip();
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + direction.option() + " '" + text + "': '" + text.substring(eq + 1).strip()
                    + "' is not an amount (a number followed by pp, % or nothing)");
        }
        try {
            return new Threshold(metric, direction, value, unit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + direction.option() + " '" + text + "': " + e.getMessage());
        }
    }

    /** As written: {@code goal_success=5pp}. */
    public String shown() {
        String n = amount == Math.rint(amount) ? Long.toString((long) amount) : Double.toString(amount);
        return metric + "=" + n + switch (unit) {
            case PP -> "pp";
            case PERCENT -> "%";
            case ABSOLUTE -> "";
        };
    }
}
