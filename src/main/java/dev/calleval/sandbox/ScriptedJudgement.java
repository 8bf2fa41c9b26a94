package dev.calleval.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The judgement a call's own {@code metadata} asks the sandbox to return, so that tests and demos can produce good
 * and bad nights. The sandbox has no judge: without these keys every judged field stays null.
 *
 * <p>Metadata keys (values are strings, as a manifest's {@code metadata.<key>} columns send them; JSON booleans and
 * numbers are accepted too):
 * <ul>
 *   <li>{@code sandbox_goal_success}: {@code true} | {@code false} → {@code goal_success}, with a
 *       {@code goal_reasoning} saying it was scripted;</li>
 *   <li>{@code sandbox_hallucination}: {@code true} | {@code false} → {@code hallucination} and its reasoning;</li>
 *   <li>{@code sandbox_sentiment}: {@code positive} | {@code neutral} | {@code negative} → {@code sentiment_label};</li>
 *   <li>{@code sandbox_custom_metrics}: {@code Name=value;Other name=value} → one {@code CustomMetricResult}
 *       (API reference §2.3) per pair, in the given order: {@code pass}/{@code fail} give {@code response_type}
 *       {@code pass_fail}, a number gives {@code quantitative}, anything else {@code qualitative};
 *       {@code response_value} is the text as given.</li>
 * </ul>
 * A value outside these is a 422 naming the key (a sandbox rule, see {@link #problem}). Every evaluation of the call,
 * re-evaluations included, carries the same judgement.
 *
 * @param goalSuccess scripted {@code goal_success}, or null
 * @param hallucination scripted {@code hallucination}, or null
 * @param sentiment scripted {@code sentiment_label}, or null
 * @param customMetrics scripted metric results, name and value in order (empty: {@code custom_metrics} null)
 */
record ScriptedJudgement(@Nullable Boolean goalSuccess, @Nullable Boolean hallucination, @Nullable String sentiment,
                         List<Metric> customMetrics) {

    static final String GOAL_SUCCESS = "sandbox_goal_success";
    static final String HALLUCINATION = "sandbox_hallucination";
    static final String SENTIMENT = "sandbox_sentiment";
    static final String CUSTOM_METRICS = "sandbox_custom_metrics";

    private static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    /** One scripted custom metric result: its name and its {@code response_value}. */
    record Metric(String name, String value) {}

    ScriptedJudgement {
        customMetrics = List.copyOf(customMetrics);
    }

    /** No scripted judgement: every judged field null. */
    static ScriptedJudgement none() {
        return new ScriptedJudgement(null, null, null, List.of());
    }

    /**
     * The judgement of a call whose metadata passed {@link #problem}.
     *
     * @param metadata the request's {@code metadata} object, or null / JSON null
     */
    static ScriptedJudgement of(@Nullable JsonNode metadata) {
        if (metadata == null || !metadata.isObject()) {
            return none();
        }
        List<Metric> metrics = new ArrayList<>();
        String scripted = text(metadata.get(CUSTOM_METRICS));
        if (scripted != null) {
            for (String pair : scripted.split(";")) {
                if (!pair.isBlank()) {
                    int equals = pair.indexOf('=');
                    metrics.add(new Metric(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip()));
                }
            }
        }
        String sentiment = text(metadata.get(SENTIMENT));
        return new ScriptedJudgement(bool(metadata.get(GOAL_SUCCESS)), bool(metadata.get(HALLUCINATION)),
                sentiment == null ? null : sentiment.toLowerCase(Locale.ROOT), metrics);
    }

    /**
     * The sandbox rule on the control keys of {@code metadata}: a message naming the first bad key and what it
     * accepts, or null when the controls (if any) are valid.
     */
    static @Nullable String problem(JsonNode metadata) {
        for (String key : List.of(GOAL_SUCCESS, HALLUCINATION)) {
            JsonNode value = metadata.get(key);
            if (value != null && !value.isNull() && bool(value) == null) {
                return "metadata." + key + " must be true or false (sandbox rule), got '" + text(value) + "'";
            }
        }
        String sentiment = text(metadata.get(SENTIMENT));
        if (sentiment != null && !SENTIMENTS.contains(sentiment.toLowerCase(Locale.ROOT))) {
            return "metadata." + SENTIMENT + " must be one of " + String.join(", ", SENTIMENTS)
                    + " (sandbox rule), got '" + sentiment + "'";
        }
        String metrics = text(metadata.get(CUSTOM_METRICS));
        if (metrics != null) {
            for (String pair : metrics.split(";")) {
                if (!pair.isBlank() && (pair.indexOf('=') <= 0 || pair.substring(0, pair.indexOf('=')).isBlank())) {
                    return "metadata." + CUSTOM_METRICS + " must be 'Name=value;Other name=value' (sandbox rule), got '"
                            + pair.strip() + "'";
                }
            }
        }
        return null;
    }

    /** Sets the judged fields of an {@code Evaluation} that this judgement scripts; leaves the others as they are. */
    void applyTo(ObjectNode evaluation) {
        if (goalSuccess != null) {
            evaluation.put("goal_success", goalSuccess.booleanValue());
            evaluation.put("goal_reasoning", "Scripted by the sandbox (metadata." + GOAL_SUCCESS + ").");
        }
        if (hallucination != null) {
            evaluation.put("hallucination", hallucination.booleanValue());
            evaluation.put("hallucination_reasoning", "Scripted by the sandbox (metadata." + HALLUCINATION + ").");
        }
        if (sentiment != null) {
            evaluation.put("sentiment_label", sentiment);
        }
        if (!customMetrics.isEmpty()) {
            var results = evaluation.putArray("custom_metrics");
            for (Metric metric : customMetrics) {
                ObjectNode result = results.addObject();
                result.put("name", metric.name());
                result.put("description", "Scripted by the sandbox (metadata." + CUSTOM_METRICS + ").");
                String lower = metric.value().toLowerCase(Locale.ROOT);
                result.put("response_type", lower.equals("pass") || lower.equals("fail") ? "pass_fail"
                        : NUMBER.matcher(metric.value()).matches() ? "quantitative" : "qualitative");
                result.put("response_value", metric.value());
                result.putNull("reasoning");
            }
        }
    }

    private static @Nullable Boolean bool(@Nullable JsonNode value) {
        String text = text(value);
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static @Nullable String text(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isString() ? value.stringValue().strip() : value.toString();
    }
}
