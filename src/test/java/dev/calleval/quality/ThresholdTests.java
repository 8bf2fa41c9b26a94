package dev.calleval.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The thresholds grammar: {@code METRIC=AMOUNT} with pp, % or a plain number, and what it refuses. */
class ThresholdTests {

    @Test
    void readsPercentagePointsPercentAndPlainNumbers() {
        assertThat(Threshold.parse(Threshold.Direction.DROP, "goal_success=5pp"))
                .isEqualTo(new Threshold("goal_success", Threshold.Direction.DROP, 5, Threshold.Unit.PP));
        assertThat(Threshold.parse(Threshold.Direction.RISE, "latency_p90=20%"))
                .isEqualTo(new Threshold("latency_p90", Threshold.Direction.RISE, 20, Threshold.Unit.PERCENT));
        assertThat(Threshold.parse(Threshold.Direction.RISE, "latency_p90 = 0.25"))
                .isEqualTo(new Threshold("latency_p90", Threshold.Direction.RISE, 0.25, Threshold.Unit.ABSOLUTE));
        assertThat(Threshold.parse(Threshold.Direction.DROP, "metric:Resolved on first contact=10PP").metric())
                .isEqualTo("metric:Resolved on first contact");
        assertThat(Threshold.parse(Threshold.Direction.DROP, "goal_success=2.5pp").shown()).isEqualTo("goal_success=2.5pp");
    }

    @Test
    void refusesUnknownMetricsMissingAmountsAndPercentagePointsOfSeconds() {
        assertThatThrownBy(() -> Threshold.parse(Threshold.Direction.DROP, "goal=5pp"))
                .hasMessage("--max-drop 'goal=5pp': unknown metric 'goal' (use goal_success, hallucination, latency_p50, latency_p90 or "
                        + "metric:<custom metric name>)");
        assertThatThrownBy(() -> Threshold.parse(Threshold.Direction.DROP, "goal_success")).hasMessageStartingWith(
                "--max-drop 'goal_success': expected METRIC=AMOUNT");
        assertThatThrownBy(() -> Threshold.parse(Threshold.Direction.RISE, "hallucination=lots"))
                .hasMessageContaining("'lots' is not an amount");
        assertThatThrownBy(() -> Threshold.parse(Threshold.Direction.RISE, "latency_p90=5pp")).hasMessageContaining("in seconds");
        assertThatThrownBy(() -> Threshold.parse(Threshold.Direction.RISE, "hallucination=-1pp")).hasMessageContaining("at least 0");
    }

    @Test
    void aMetricHasOneThresholdPerDirection() {
        Threshold a = Threshold.parse(Threshold.Direction.DROP, "goal_success=5pp");
        Threshold b = Threshold.parse(Threshold.Direction.DROP, "goal_success=2pp");
        assertThatThrownBy(() -> new Thresholds(List.of(a, b))).hasMessageContaining("two --max-drop thresholds");
        assertThat(Thresholds.givenOrDefaults(List.of())).isEqualTo(Thresholds.DEFAULTS);
        assertThat(Thresholds.givenOrDefaults(List.of(b)).thresholds()).containsExactly(b);
    }
}
