package dev.calleval.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The metrics the sandbox can compute from an inline transcript, and nothing else: no judge runs, so every judged
 * field of an {@code Evaluation} (API reference §2.3) is null.
 *
 * <p>Definitions (utterances ordered by {@code start_offset_ms}, ties kept in submission order; all times from
 * integer milliseconds):
 * <ul>
 *   <li>{@code num_turns}: the number of {@code AGENT} utterances, fillers included;</li>
 *   <li>{@code agent_speak_percentage}: agent speaking ms / (agent + user speaking ms) &times; 100, rounded half-up
 *       to 1 decimal, where an utterance speaks {@code max(0, end - start)} ms; null when nobody speaks;</li>
 *   <li>response latency: for every {@code USER} utterance immediately followed by an {@code AGENT} utterance,
 *       {@code max(0, agent.start - user.end) / 1000} seconds (overlaps count as 0);
 *       {@code avg_agent_latency} is their mean and {@code latency} holds
 *       {@code avg/max/p50/p90/p95/p99_agent_latency} (nearest-rank percentiles), all rounded half-up to 3
 *       decimals; both null without any such pair;</li>
 *   <li>{@code filler_ignored_latency}: the same, but the answer is the first {@code AGENT} utterance after the
 *       {@code USER} utterance that is not marked {@code filler_utterance: true}, skipping fillers; a user
 *       utterance answered only by fillers before the user speaks again gives no sample; fields
 *       {@code avg/p50/p90/p95/p99_filler_ignored_latency}; null without samples;</li>
 *   <li>{@code duration_ms}: the largest {@code end_offset_ms} (see {@link #durationMs()}).</li>
 * </ul>
 * Without an inline transcript (recording or {@code transcript_url} only) every metric is null.
 *
 * @param numTurns number of agent utterances, null without transcript
 * @param agentSpeakPercentage see above
 * @param latencies response latencies in seconds, unrounded, in transcript order (empty without samples)
 * @param fillerIgnoredLatencies filler-ignored latencies in seconds, unrounded
 * @param durationMs largest end offset in ms, null without transcript
 */
record TranscriptMetrics(
        @Nullable Integer numTurns,
        @Nullable Double agentSpeakPercentage,
        List<Double> latencies,
        List<Double> fillerIgnoredLatencies,
        @Nullable Long durationMs) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    TranscriptMetrics {
        latencies = List.copyOf(latencies);
        fillerIgnoredLatencies = List.copyOf(fillerIgnoredLatencies);
    }

    /** One utterance of the transcript. */
    record Utterance(long startMs, long endMs, boolean agent, boolean filler) {}

    /** No transcript: every metric null. */
    static TranscriptMetrics none() {
        return new TranscriptMetrics(null, null, List.of(), List.of(), null);
    }

    /**
     * Computes the metrics of a validated {@code transcript} array (items with integer offsets, a
     * {@code speaker} of {@code AGENT} or {@code USER}, optional {@code filler_utterance}).
     *
     * @param transcript the normalised transcript, or {@code null} / JSON null when none was sent
     */
    static TranscriptMetrics of(@Nullable JsonNode transcript) {
        if (transcript == null || !transcript.isArray()) {
            return none();
        }
        List<Utterance> utterances = new ArrayList<>();
        for (JsonNode entry : transcript) {
            utterances.add(new Utterance(
                    entry.path("start_offset_ms").asLong(),
                    entry.path("end_offset_ms").asLong(),
                    "AGENT".equals(entry.path("speaker").asString("")),
                    entry.path("filler_utterance").asBoolean(false)));
        }
        return compute(utterances);
    }

    /** Computes the metrics of utterances in any order. */
    static TranscriptMetrics compute(List<Utterance> input) {
        List<Utterance> utterances = new ArrayList<>(input);
        utterances.sort(Comparator.comparingLong(Utterance::startMs)); // stable: ties keep submission order
        if (utterances.isEmpty()) {
            return new TranscriptMetrics(0, null, List.of(), List.of(), null);
        }
        int turns = 0;
        long agentMs = 0;
        long userMs = 0;
        long duration = Long.MIN_VALUE;
        for (Utterance u : utterances) {
            long spoken = Math.max(0, u.endMs() - u.startMs());
            if (u.agent()) {
                turns++;
                agentMs += spoken;
            } else {
                userMs += spoken;
            }
            duration = Math.max(duration, u.endMs());
        }
        Double share = agentMs + userMs == 0 ? null : round(100.0 * agentMs / (agentMs + userMs), 1);

        List<Double> latencies = new ArrayList<>();
        List<Double> fillerIgnored = new ArrayList<>();
        for (int i = 0; i + 1 < utterances.size(); i++) {
            Utterance user = utterances.get(i);
            if (user.agent() || !utterances.get(i + 1).agent()) {
                continue;
            }
            latencies.add(seconds(utterances.get(i + 1).startMs() - user.endMs()));
            for (int j = i + 1; j < utterances.size() && utterances.get(j).agent(); j++) {
                if (!utterances.get(j).filler()) {
                    fillerIgnored.add(seconds(utterances.get(j).startMs() - user.endMs()));
                    break;
                }
            }
        }
        return new TranscriptMetrics(turns, share, latencies, fillerIgnored, duration);
    }

    /**
     * Builds the {@code Evaluation} object, every field of the schema present (judged ones null, the
     * required-but-nullable {@code agent_speak_percentage} and {@code avg_agent_latency} included).
     */
    ObjectNode toEvaluation(String id, Instant createdAt) {
        ObjectNode evaluation = NODES.objectNode();
        evaluation.put("id", id);
        evaluation.put("created_at", createdAt.toString());
        evaluation.putNull("hallucination");
        evaluation.putNull("hallucination_reasoning");
        evaluation.putNull("redundancy");
        evaluation.putNull("redundancy_reasoning");
        putNullable(evaluation, "agent_speak_percentage", agentSpeakPercentage);
        putNullable(evaluation, "avg_agent_latency", latencies.isEmpty() ? null : round(mean(latencies), 3));
        if (latencies.isEmpty()) {
            evaluation.putNull("latency");
        } else {
            List<Double> sorted = sorted(latencies);
            ObjectNode latency = evaluation.putObject("latency");
            latency.put("avg_agent_latency", round(mean(sorted), 3));
            latency.put("max_agent_latency", round(sorted.get(sorted.size() - 1), 3));
            latency.put("p50_agent_latency", round(percentile(sorted, 50), 3));
            latency.put("p90_agent_latency", round(percentile(sorted, 90), 3));
            latency.put("p95_agent_latency", round(percentile(sorted, 95), 3));
            latency.put("p99_agent_latency", round(percentile(sorted, 99), 3));
        }
        if (fillerIgnoredLatencies.isEmpty()) {
            evaluation.putNull("filler_ignored_latency");
        } else {
            List<Double> sorted = sorted(fillerIgnoredLatencies);
            ObjectNode latency = evaluation.putObject("filler_ignored_latency");
            latency.put("avg_filler_ignored_latency", round(mean(sorted), 3));
            latency.put("p50_filler_ignored_latency", round(percentile(sorted, 50), 3));
            latency.put("p90_filler_ignored_latency", round(percentile(sorted, 90), 3));
            latency.put("p95_filler_ignored_latency", round(percentile(sorted, 95), 3));
            latency.put("p99_filler_ignored_latency", round(percentile(sorted, 99), 3));
        }
        if (numTurns == null) {
            evaluation.putNull("num_turns");
        } else {
            evaluation.put("num_turns", numTurns.intValue());
        }
        for (String judged : List.of("call_summary", "custom_evals", "custom_evals_success_rate", "goal_success",
                "goal_reasoning", "pronunciation_score", "pronunciation_reasoning", "sentiment_label",
                "sentiment_score", "sentiment_scores", "custom_metrics")) {
            evaluation.putNull(judged);
        }
        return evaluation;
    }

    /** Nearest-rank percentile of an ascending, non-empty list: the value at rank {@code ceil(p/100 * n)}. */
    static double percentile(List<Double> ascending, int p) {
        int rank = (p * ascending.size() + 99) / 100; // ceil in integers, no floating-point drift
        return ascending.get(Math.max(rank, 1) - 1);
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }

    private static double mean(List<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }

    private static double seconds(long ms) {
        return Math.max(0, ms) / 1000.0;
    }

    static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }

    private static void putNullable(ObjectNode node, String name, @Nullable Double value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value.doubleValue());
        }
    }
}
