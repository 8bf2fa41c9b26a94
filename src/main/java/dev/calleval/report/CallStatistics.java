package dev.calleval.report;

import dev.calleval.quality.Measure;
import dev.calleval.report.ExecutionRecords.ExecutionCallRow;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The figures {@code report.html} draws, gathered over every call of an execution in one pass (memory: two
 * {@code double}s per call with a latency, and bounded counters per custom metric).
 *
 * <p>Only calls with a result (EVALUATED or INCOMPLETE) count for judgements, latencies and custom metrics. Their
 * source is the ledger: Bluejay's newest evaluation of each call as reconciliation stored it ({@code goal_success},
 * {@code hallucination}, {@code latency.p50_agent_latency} and {@code p90_agent_latency} in seconds, and each custom
 * metric's {@code response_value} by metric name).
 */
final class CallStatistics {
    /** The most custom metrics followed; more are counted in {@link #metricsNotShown}. */
    static final int MAX_METRICS = 100;
    /** The most distinct values counted for a metric whose values are text; others are counted as "other". */
    static final int MAX_CATEGORIES = 12;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    long calls;
    long withResult;
    final Judgement goalSuccess = new Judgement();
    final Judgement hallucination = new Judgement();
    final Samples latencyP50 = new Samples();
    final Samples latencyP90 = new Samples();
    final Map<String, Metric> metrics = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    long metricsNotShown;
    long unreadableMetrics;

    /** True / false / not judged (null) counts of a boolean judgement. */
    static final class Judgement {
        long yes;
        long no;
        long notJudged;

        void add(@Nullable Boolean value) {
            if (value == null) {
                notJudged++;
            } else if (value) {
                yes++;
            } else {
                no++;
            }
        }

        long judged() {
            return yes + no;
        }
    }

    /** A growing list of values, sorted on first read. */
    static final class Samples {
        private double[] values = new double[64];
        private int size;
        private boolean sorted = true;

        void add(@Nullable Double value) {
            if (value == null || value.isNaN() || value.isInfinite()) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            sorted = false;
        }

        int size() {
            return size;
        }

        /** The nearest-rank percentile ({@code 0 < p ≤ 100}); NaN without values. */
        double percentile(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            sort();
            return Measure.nearestRank(values, size, p);
        }

        double max() {
            return percentile(100);
        }

        /** How many values fall in each bin {@code [i × width, (i+1) × width)}; the last bin takes everything above. */
        long[] histogram(double width, int bins) {
            long[] counts = new long[bins];
            for (int i = 0; i < size; i++) {
                int bin = (int) Math.floor(values[i] / width);
                counts[Math.max(0, Math.min(bins - 1, bin))]++;
            }
            return counts;
        }

        private void sort() {
            if (!sorted) {
                Arrays.sort(values, 0, size);
                sorted = true;
            }
        }
    }

    /** What one custom metric's values were over the calls that have it. */
    static final class Metric {
        long pass;
        long fail;
        long notApplicable;
        long scores;
        double scoreSum;
        double scoreMin = Double.POSITIVE_INFINITY;
        double scoreMax = Double.NEGATIVE_INFINITY;
        final Map<String, Long> categories = new LinkedHashMap<>();
        long otherCategories;

        void add(@Nullable String raw) {
            String value = raw == null ? "" : raw.strip();
            String lower = value.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "pass", "passed", "yes", "true" -> pass++;
                case "fail", "failed", "no", "false" -> fail++;
                case "", "n/a", "na", "not_applicable", "not applicable", "null", "none" -> notApplicable++;
                default -> {
                    Double score = number(value);
                    if (score != null) {
                        scores++;
                        scoreSum += score;
                        scoreMin = Math.min(scoreMin, score);
                        scoreMax = Math.max(scoreMax, score);
                    } else if (categories.containsKey(value) || categories.size() < MAX_CATEGORIES) {
                        categories.merge(value, 1L, Long::sum);
                    } else {
                        otherCategories++;
                    }
                }
            }
        }

        /** The metric's kind, by the values seen: text wins over scores, scores over pass/fail. */
        Kind kind() {
            if (!categories.isEmpty() || otherCategories > 0) {
                return Kind.TEXT;
            }
            if (scores > 0) {
                return Kind.SCORE;
            }
            return Kind.PASS_FAIL;
        }

        long total() {
            return pass + fail + notApplicable + scores + otherCategories + categories.values().stream().mapToLong(Long::longValue).sum();
        }

        private static @Nullable Double number(String value) {
            try {
                double d = Double.parseDouble(value);
                return Double.isFinite(d) && value.matches("[-+]?[0-9.eE+-]+") ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** How a custom metric is drawn. */
    enum Kind { PASS_FAIL, SCORE, TEXT }

    /** Adds one call of the execution. */
    void add(ExecutionCallRow row) {
        calls++;
        if (!row.state().hasResult()) {
            return;
        }
        withResult++;
        goalSuccess.add(row.goalSuccess());
        hallucination.add(row.hallucination());
        latencyP50.add(row.latencyP50());
        latencyP90.add(row.latencyP90());
        if (row.customMetricsJson() != null && !row.customMetricsJson().isBlank()) {
            addMetrics(row.customMetricsJson());
        }
    }

    private void addMetrics(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JacksonException e) {
            unreadableMetrics++;
            return;
        }
        if (!node.isObject()) {
            unreadableMetrics++;
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            Metric metric = metrics.get(e.getKey());
            if (metric == null) {
                if (metrics.size() >= MAX_METRICS) {
                    metricsNotShown++;
                    continue;
                }
                metric = new Metric();
                metrics.put(e.getKey(), metric);
            }
            JsonNode value = e.getValue();
            metric.add(value == null || value.isNull() ? null : value.isValueNode() ? value.asString() : value.toString());
        }
    }
}
