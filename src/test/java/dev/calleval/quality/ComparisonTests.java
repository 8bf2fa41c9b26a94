package dev.calleval.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The regression rule shared by compare, the report's trend and alerts, and the statistics it rests on, on figures made
 * by hand (no database).
 */
class ComparisonTests {
    private static final Comparison DEFAULT = new Comparison(Thresholds.DEFAULTS, Comparison.DEFAULT_ALPHA);

    /** {@code n} calls, the first {@code goalYes} reaching their goal, the first {@code hallucinated} hallucinating. */
    private static Figures night(int n, int goalYes, int hallucinated, double p90, List<CallFigures.MetricValue> metrics) {
        Figures f = new Figures();
        for (int i = 0; i < n; i++) {
            f.add(new CallFigures("1234", "production", Map.of(), i < goalYes, i < hallucinated, p90 / 2, p90, metrics));
        }
        return f;
    }

    private static Change change(List<Change> changes, String metric) {
        return changes.stream().filter(c -> c.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void aSignificantDropBeyondItsThresholdIsARegression() {
        List<Change> changes = DEFAULT.compare("all", night(15, 15, 0, 1.4, List.of()), night(15, 9, 0, 1.4, List.of()));

        Change goal = change(changes, "goal_success");
        assertThat(goal.baseline()).isEqualTo(1.0);
        assertThat(goal.candidate()).isEqualTo(0.6);
        assertThat(goal.difference()).isCloseTo(-0.4, within(1e-12));
        // pooled p = 24/30 = 0.8, se = sqrt(0.8 * 0.2 * (2/15)) = 0.14606, z = -2.7386, two-sided p = 0.006170
        assertThat(goal.pValue()).isCloseTo(0.006170, within(1e-5));
        assertThat(goal.test()).isEqualTo("two-proportion z-test");
        assertThat(goal.smallSample()).as("expected failures 0.2 × 15 = 3 < 5").isTrue();
        assertThat(goal.exceeded()).isTrue();
        assertThat(goal.regression()).isTrue();
        assertThat(changes).filteredOn(Change::regression).containsExactly(goal);
    }

    @Test
    void aMoveBeyondItsThresholdThatIsNotSignificantIsNoRegression() {
        Change hallucination = change(DEFAULT.compare("all", night(15, 15, 0, 1.4, List.of()), night(15, 15, 2, 1.4, List.of())),
                "hallucination");

        assertThat(hallucination.difference()).isCloseTo(2 / 15.0, within(1e-12));
        assertThat(hallucination.exceeded()).as("13.3 pp > 3 pp").isTrue();
        assertThat(hallucination.pValue()).isCloseTo(0.1432, within(1e-3)).isGreaterThan(0.05);
        assertThat(hallucination.regression()).isFalse();
    }

    @Test
    void aNightComparedWithItselfHasNoRegression() {
        Figures night = night(15, 9, 2, 1.4, List.of(new CallFigures.MetricValue("Politeness", null, 4.0)));
        List<Change> changes = DEFAULT.compare("all", night, night);

        assertThat(changes).noneMatch(Change::regression).noneMatch(Change::exceeded);
        assertThat(change(changes, "goal_success").pValue()).isEqualTo(1.0);
        assertThat(change(changes, "metric:Politeness").pValue()).as("equal constant samples").isEqualTo(1.0);
    }

    @Test
    void latencyHasNoTestAndIsJudgedByItsThresholdAlone() {
        List<Change> changes = DEFAULT.compare("all", night(10, 10, 0, 1.0, List.of()), night(10, 10, 0, 1.25, List.of()));

        Change p90 = change(changes, "latency_p90");
        assertThat(p90.test()).isEqualTo("none (descriptive)");
        assertThat(p90.pValue()).isNull();
        assertThat(p90.regression()).as("+25 % > 20 %").isTrue();
        assertThat(change(DEFAULT.compare("all", night(10, 10, 0, 1.0, List.of()), night(10, 10, 0, 1.15, List.of())), "latency_p90")
                .regression()).as("+15 %").isFalse();
        Comparison seconds = new Comparison(new Thresholds(List.of(Threshold.parse(Threshold.Direction.RISE, "latency_p90=0.2"))), 0.05);
        assertThat(change(seconds.compare("all", night(10, 10, 0, 1.0, List.of()), night(10, 10, 0, 1.25, List.of())), "latency_p90")
                .regression()).as("+0.25 s > 0.2 s").isTrue();
    }

    @Test
    void customMetricsCompareTheirPassRateOrTheirMeanWithWelch() {
        List<CallFigures.MetricValue> pass = List.of(new CallFigures.MetricValue("Resolved", true, null));
        Figures before = new Figures();
        Figures after = new Figures();
        double[] a = {5, 5, 4, 5, 5, 4, 5, 5};
        double[] b = {4, 3, 4, 3, 4, 4, 3, 5};
        for (int i = 0; i < a.length; i++) {
            before.add(new CallFigures("1", null, Map.of(), null, null, null, null,
                    List.of(new CallFigures.MetricValue("Politeness", null, a[i]), pass.get(0))));
            after.add(new CallFigures("1", null, Map.of(), null, null, null, null,
                    List.of(new CallFigures.MetricValue("Politeness", null, b[i]), new CallFigures.MetricValue("Resolved", i < 4, null))));
        }
        Comparison strict = new Comparison(new Thresholds(List.of(Threshold.parse(Threshold.Direction.DROP, "metric:Politeness=10%"),
                Threshold.parse(Threshold.Direction.DROP, "metric:Resolved=20pp"))), 0.05);
        List<Change> changes = strict.compare("all", before, after);

        Change politeness = change(changes, "metric:Politeness");
        assertThat(politeness.kind()).isEqualTo("mean");
        assertThat(politeness.test()).isEqualTo("Welch t-test");
        assertThat(politeness.pValue()).isCloseTo(new org.apache.commons.math3.stat.inference.TTest().tTest(a, b), within(1e-12));
        assertThat(politeness.regression()).isTrue();
        Change resolved = change(changes, "metric:Resolved");
        assertThat(resolved.kind()).isEqualTo("rate");
        assertThat(resolved.candidate()).isEqualTo(0.5);
        assertThat(resolved.regression()).as("-50 pp, p = 0.02").isTrue();
        assertThat(change(changes, "goal_success").baseline()).as("nothing judged").isNull();
        assertThat(change(changes, "goal_success").regression()).isFalse();
    }

    @Test
    void groupsPresentOnOneSideOnlyAreComparedWithNothing() {
        Map<String, Figures> before = Map.of("all", night(5, 5, 0, 1, List.of()));
        Map<String, Figures> after = new java.util.LinkedHashMap<>(Map.of("all", night(5, 5, 0, 1, List.of())));
        after.put("queue=new", night(3, 0, 0, 1, List.of()));
        List<Change> changes = new ArrayList<>(DEFAULT.compare(before, after));

        Change fresh = changes.stream().filter(c -> c.group().equals("queue=new") && c.metric().equals("goal_success")).findFirst().orElseThrow();
        assertThat(fresh.baseline()).isNull();
        assertThat(fresh.candidate()).isEqualTo(0.0);
        assertThat(fresh.regression()).as("no baseline: not judged").isFalse();
    }
}
