package dev.calleval.quality;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.TTest;
import org.jspecify.annotations.Nullable;

/**
 * The tests {@code compare} runs (docs/compare-and-alerts.md, "Statistics"), each giving a two-sided p-value:
 * <ul>
 *   <li>rates: the pooled two-proportion z-test, {@code z = (p2 − p1) / sqrt(p(1 − p)(1/n1 + 1/n2))} with
 *       {@code p = (x1 + x2) / (n1 + n2)}, p-value {@code 2(1 − Φ(|z|))} from Apache Commons Math's standard normal
 *       distribution. A normal approximation: {@link Result#smallSample} says when an expected count
 *       ({@code p·n} or {@code (1 − p)·n} of either side) is under 5, where it is rough;</li>
 *   <li>means of a numeric custom metric: Welch's unequal-variances t-test (Commons Math {@link TTest#tTest(double[], double[])});
 *       needs at least two values on each side;</li>
 *   <li>latency percentiles: none (descriptive only).</li>
 * </ul>
 * Stateless, thread-safe.
 */
final class Significance {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private Significance() {}

    /**
     * A test's outcome.
     *
     * @param test the test's name as shown
     * @param pValue two-sided, null when the test cannot be run (too few values)
     * @param smallSample true when the approximation the test rests on is rough for these counts
     */
    record Result(String test, @Nullable Double pValue, boolean smallSample) {}

    static final String Z_TEST = "two-proportion z-test";
    static final String WELCH = "Welch t-test";
    static final String NONE = "none (descriptive)";

    /** The pooled two-proportion z-test of {@code x1/n1} against {@code x2/n2}; no p-value when a side has no trial. */
    static Result twoProportions(long x1, long n1, long x2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return new Result(Z_TEST, null, true);
        }
        double pooled = (x1 + x2) / (double) (n1 + n2);
        boolean small = Math.min(Math.min(pooled * n1, (1 - pooled) * n1), Math.min(pooled * n2, (1 - pooled) * n2)) < 5;
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return new Result(Z_TEST, 1.0, small); // both sides all yes or all no: no difference
        }
        double z = (x2 / (double) n2 - x1 / (double) n1) / se;
        return new Result(Z_TEST, 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z))), small);
    }

    /** Welch's t-test of the two samples' means; no p-value with fewer than two values on a side. */
    static Result welch(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return new Result(WELCH, null, true);
        }
        boolean small = a.length < 30 || b.length < 30;
        if (variance(a) == 0 && variance(b) == 0) { // the t statistic is 0/0 or ±∞: decide directly
            return new Result(WELCH, mean(a) == mean(b) ? 1.0 : 0.0, small);
        }
        return new Result(WELCH, new TTest().tTest(a, b), small);
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double variance(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum();
    }
}
