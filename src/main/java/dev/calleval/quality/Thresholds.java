package dev.calleval.quality;

import java.util.List;
import java.util.Optional;

/**
 * The thresholds a comparison is judged by. Without any given ({@code --max-drop}/{@code --max-rise} or a job file's
 * {@code quality:} section), {@link #DEFAULTS}; once any is given, only those given apply.
 *
 * @param thresholds at most one per metric and direction
 */
public record Thresholds(List<Threshold> thresholds) {
    /** goal success may drop 5 pp, hallucination rise 3 pp, the p90 latency rise 20 %. */
    public static final Thresholds DEFAULTS = new Thresholds(List.of(
            new Threshold("goal_success", Threshold.Direction.DROP, 5, Threshold.Unit.PP),
            new Threshold("hallucination", Threshold.Direction.RISE, 3, Threshold.Unit.PP),
            new Threshold("latency_p90", Threshold.Direction.RISE, 20, Threshold.Unit.PERCENT)));

    /** @throws IllegalArgumentException when a metric has two thresholds of one direction */
    public Thresholds {
        thresholds = List.copyOf(thresholds);
        for (int i = 0; i < thresholds.size(); i++) {
            for (int j = i + 1; j < thresholds.size(); j++) {
                Threshold a = thresholds.get(i);
                Threshold b = thresholds.get(j);
                if (a.metric().equals(b.metric()) && a.direction() == b.direction()) {
                    throw new IllegalArgumentException(a.metric() + " has two --" + a.direction().option() + " thresholds: "
                            + a.shown() + " and " + b.shown() + " (keep one)");
                }
            }
        }
    }

    /** The thresholds given, or {@link #DEFAULTS} when none is. */
    public static Thresholds givenOrDefaults(List<Threshold> given) {
        return given.isEmpty() ? DEFAULTS : new Thresholds(given);
    }

    /** The threshold of a metric in a direction. */
    public Optional<Threshold> of(String metric, Threshold.Direction direction) {
        return thresholds.stream().filter(t -> t.metric().equals(metric) && t.direction() == direction).findFirst();
    }
}
