package dev.calleval.quality;

import java.util.Arrays;

/** One figure of a group of calls: a proportion (rates) or a statistic of per-call values (latencies, means). */
public sealed interface Measure {

    /** The figure's value (a fraction 0..1 for a proportion), NaN without data. */
    double value();

    /** How many calls it is computed over. */
    long size();

    /**
     * The nearest-rank percentile of the first {@code size} values of {@code ascending} (sorted, {@code size > 0},
     * {@code 0 < p ≤ 100}): the value at rank {@code ceil(p/100 × size)}. The one rule of report.html's latency
     * figures and of compare's.
     */
    static double nearestRank(double[] ascending, int size, double p) {
        int rank = (int) Math.ceil(p / 100.0 * size);
        return ascending[Math.max(0, Math.min(size, rank) - 1)];
    }

    /**
     * A rate: {@code successes} of {@code trials} calls judged (calls without that judgement are not trials).
     */
    record Proportion(long successes, long trials) implements Measure {
        public Proportion {
            if (successes < 0 || trials < successes) {
                throw new IllegalArgumentException("successes must be 0.." + trials + ", got " + successes);
            }
        }

        @Override
        public double value() {
            return trials == 0 ? Double.NaN : successes / (double) trials;
        }

        @Override
        public long size() {
            return trials;
        }
    }

    /** What a sample is summarised by. */
    enum Statistic {
        /** The nearest-rank median. */
        MEDIAN,
        /** The nearest-rank 90th percentile. */
        P90,
        /** The arithmetic mean. */
        MEAN
    }

    /** Per-call values summarised by {@code statistic}. {@code values} is copied and sorted. */
    record Sample(double[] values, Statistic statistic) implements Measure {
        public Sample {
            values = values.clone();
            Arrays.sort(values);
        }

        @Override
        public double value() {
            if (values.length == 0) {
                return Double.NaN;
            }
            return switch (statistic) {
                case MEDIAN -> percentile(50);
                case P90 -> percentile(90);
                case MEAN -> Arrays.stream(values).average().orElse(Double.NaN);
            };
        }

        @Override
        public long size() {
            return values.length;
        }

        /** The nearest-rank percentile, as report.html computes it ({@code 0 < p ≤ 100}). */
        double percentile(double p) {
            return nearestRank(values, values.length, p);
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && s.statistic == statistic && Arrays.equals(s.values, values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(values) + statistic.hashCode();
        }

        @Override
        public String toString() {
            return "Sample[" + statistic + " of " + values.length + " values]";
        }
    }
}
