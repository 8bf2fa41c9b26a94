package dev.calleval.jobfile;

import dev.calleval.quality.Comparison;
import dev.calleval.quality.Threshold;
import dev.calleval.quality.Thresholds;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A job's {@code quality:} section (docs/compare-and-alerts.md, "The quality: section"): the thresholds its
 * executions are judged by — by {@code compare --job}, by the trend section of its {@code report.html}, and at the end of
 * each run, which alerts on a regression. Thresholds use the grammar of {@code compare}'s options.
 *
 * <pre>
 * quality:
 *   max-drop: [goal_success=5pp]
 *   max-rise: [hallucination=3pp, latency_p90=20%]
 *   alpha: 0.05
 *   baseline-last: 7
 * </pre>
 *
 * @param maxDrop {@code METRIC=AMOUNT} for figures that must not fall further
 * @param maxRise {@code METRIC=AMOUNT} for figures that must not rise further
 * @param alpha the significance level, 0-1 exclusive; default 0.05
 * @param baselineLast how many completed executions before a run make its baseline, 1-100; default 7
 */
public record QualitySettings(@DefaultValue List<String> maxDrop, @DefaultValue List<String> maxRise, @DefaultValue("0.05") double alpha,
        @DefaultValue("7") int baselineLast) {
    /** How many completed executions before the candidate make the baseline unless the section says otherwise. */
    public static final int DEFAULT_BASELINE_LAST = 7;

    /** @throws IllegalArgumentException naming the threshold that does not parse, or the value out of range */
    public QualitySettings {
        maxDrop = List.copyOf(maxDrop);
        maxRise = List.copyOf(maxRise);
        if (baselineLast < 1 || baselineLast > 100) {
            throw new IllegalArgumentException("quality.baseline-last must be 1-100, got " + baselineLast);
        }
        comparison(maxDrop, maxRise, alpha);
    }

    /** The comparison these settings define; the default thresholds when the section lists none. */
    public Comparison comparison() {
        return comparison(maxDrop, maxRise, alpha);
    }

    private static Comparison comparison(List<String> maxDrop, List<String> maxRise, double alpha) {
        List<Threshold> given = new ArrayList<>();
        maxDrop.forEach(t -> given.add(Threshold.parse(Threshold.Direction.DROP, t)));
        maxRise.forEach(t -> given.add(Threshold.parse(Threshold.Direction.RISE, t)));
        try {
            return new Comparison(Thresholds.givenOrDefaults(given), alpha);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quality." + (e.getMessage().startsWith("alpha") ? "" : "max-drop/max-rise: ") + e.getMessage());
        }
    }
}
