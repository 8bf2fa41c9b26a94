package dev.calleval.quality;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one group of evaluated calls, gathered one call at a time: goal success and hallucination rates over
 * the calls judged, the median of the calls' p50 latencies and the 90th percentile of their p90 latencies (seconds),
 * and each custom metric's pass rate (pass/fail results) or mean (numeric results). Memory: two doubles per call with
 * latencies and one per numeric metric value. Not thread-safe.
 */
public final class Figures {
    /** The most custom metrics followed per group; further ones are left out. */
    static final int MAX_METRICS = 50;

    private long calls;
    private long goalYes;
    private long goalJudged;
    private long hallucinationYes;
    private long hallucinationJudged;
    private final Values p50 = new Values();
    private final Values p90 = new Values();
    private final Map<String, MetricTally> metrics = new TreeMap<>();

    private static final class Values {
        private double[] values = new double[16];
        private int size;

        void add(@Nullable Double v) {
            if (v == null || !Double.isFinite(v)) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class MetricTally {
        long pass;
        long judged;
        final Values numbers = new Values();
    }

    /** Adds one evaluated call. */
    public void add(CallFigures call) {
        calls++;
        if (call.goalSuccess() != null) {
            goalJudged++;
            goalYes += call.goalSuccess() ? 1 : 0;
        }
        if (call.hallucination() != null) {
            hallucinationJudged++;
            hallucinationYes += call.hallucination() ? 1 : 0;
        }
        p50.add(call.latencyP50());
        p90.add(call.latencyP90());
        for (CallFigures.MetricValue m : call.metrics()) {
            MetricTally tally = metrics.get(m.name());
            if (tally == null) {
                if (metrics.size() >= MAX_METRICS) {
                    continue;
                }
                tally = new MetricTally();
                metrics.put(m.name(), tally);
            }
            if (m.passed() != null) {
                tally.judged++;
                tally.pass += m.passed() ? 1 : 0;
            } else {
                tally.numbers.add(m.number());
            }
        }
    }

    /** The calls added (evaluated calls of the group). */
    public long calls() {
        return calls;
    }

    /**
     * Every figure by name: {@code goal_success}, {@code hallucination} (proportions), {@code latency_p50} (median),
     * {@code latency_p90} (90th percentile), then {@code metric:<name>} per custom metric (a proportion for pass/fail
     * results, the mean of numeric ones; a metric with both counts as pass/fail).
     */
    public Map<String, Measure> measures() {
        Map<String, Measure> all = new LinkedHashMap<>();
        all.put("goal_success", new Measure.Proportion(goalYes, goalJudged));
        all.put("hallucination", new Measure.Proportion(hallucinationYes, hallucinationJudged));
        all.put("latency_p50", new Measure.Sample(p50.toArray(), Measure.Statistic.MEDIAN));
        all.put("latency_p90", new Measure.Sample(p90.toArray(), Measure.Statistic.P90));
        metrics.forEach((name, tally) -> all.put("metric:" + name, tally.judged > 0 ? new Measure.Proportion(tally.pass, tally.judged)
                : new Measure.Sample(tally.numbers.toArray(), Measure.Statistic.MEAN)));
        return all;
    }
}
