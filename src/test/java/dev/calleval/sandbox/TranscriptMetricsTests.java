package dev.calleval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class TranscriptMetricsTests {

    private static TranscriptMetrics.Utterance agent(long start, long end) {
        return new TranscriptMetrics.Utterance(start, end, true, false);
    }

    private static TranscriptMetrics.Utterance filler(long start, long end) {
        return new TranscriptMetrics.Utterance(start, end, true, true);
    }

    private static TranscriptMetrics.Utterance user(long start, long end) {
        return new TranscriptMetrics.Utterance(start, end, false, false);
    }

    @Test
    void measuresLatencyFromUserEndToNextAgentStartClampingOverlaps() {
        TranscriptMetrics metrics = TranscriptMetrics.compute(List.of(
                user(0, 1000), agent(1500, 3000),      // 0.5 s
                user(3200, 4000), agent(3900, 5000),   // overlap: 0
                user(5000, 6000), user(6100, 7000), agent(8000, 9000))); // only the last user utterance: 1.0 s

        assertThat(metrics.numTurns()).isEqualTo(3);
        assertThat(metrics.latencies()).containsExactly(0.5, 0.0, 1.0);
        assertThat(metrics.durationMs()).isEqualTo(9000);
        ObjectNode evaluation = metrics.toEvaluation("e1", Instant.EPOCH);
        assertThat(evaluation.path("avg_agent_latency").asDouble()).isEqualTo(0.5);
        assertThat(evaluation.path("latency").path("max_agent_latency").asDouble()).isEqualTo(1.0);
        assertThat(evaluation.path("latency").path("p50_agent_latency").asDouble()).isEqualTo(0.5);
    }

    @Test
    void skipsFillersForFillerIgnoredLatencyButNotAcrossTheNextUserUtterance() {
        TranscriptMetrics metrics = TranscriptMetrics.compute(List.of(
                user(0, 1000), filler(1200, 1500), agent(2500, 4000),   // 0.2 s, filler-ignored 1.5 s
                user(4000, 5000), filler(5100, 5300),                   // 0.1 s, no filler-ignored sample
                user(5400, 6000), agent(6300, 7000)));                  // 0.3 s, filler-ignored 0.3 s

        assertThat(metrics.latencies()).containsExactly(0.2, 0.1, 0.3);
        assertThat(metrics.fillerIgnoredLatencies()).containsExactly(1.5, 0.3);
    }

    @Test
    void computesNearestRankPercentiles() {
        List<Double> ascending = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);

        assertThat(TranscriptMetrics.percentile(ascending, 50)).isEqualTo(5.0);
        assertThat(TranscriptMetrics.percentile(ascending, 90)).isEqualTo(9.0);
        assertThat(TranscriptMetrics.percentile(ascending, 95)).isEqualTo(10.0);
        assertThat(TranscriptMetrics.percentile(List.of(0.7), 99)).isEqualTo(0.7);
    }

    @Test
    void leavesEveryMetricNullWithoutTranscript() {
        ObjectNode evaluation = TranscriptMetrics.none().toEvaluation("e1", Instant.EPOCH);

        assertThat(evaluation.has("agent_speak_percentage")).isTrue();
        assertThat(evaluation.path("agent_speak_percentage").isNull()).isTrue();
        assertThat(evaluation.has("avg_agent_latency")).isTrue();
        assertThat(evaluation.path("avg_agent_latency").isNull()).isTrue();
        assertThat(evaluation.path("latency").isNull()).isTrue();
        assertThat(evaluation.path("num_turns").isNull()).isTrue();
        assertThat(evaluation.path("goal_success").isNull()).isTrue();
        assertThat(evaluation.path("id").asString()).isEqualTo("e1");
    }
}
