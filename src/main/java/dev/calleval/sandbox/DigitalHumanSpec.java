package dev.calleval.sandbox;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One digital human of a {@link SimulationSpec}: who the simulated customer is, and the outcome the sandbox reports
 * for its conversations. The sandbox never judges a conversation; the outcome is scripted here.
 *
 * @param id the digital human id, {@code digital_human_id} in results and webhooks (API reference §3.5–§3.7,
 *     §4.4); positive
 * @param name shown as {@code name} in the {@code outbound_simulation_started} webhook (§3.7)
 * @param phoneNumber shown as {@code phone_number} in that webhook, e.g. {@code +15551234567}
 * @param goalSuccess the {@code goal_success} of every evaluation of this digital human's results: {@code true}
 *     counts as passed and {@code false} as failed in the run's totals (§4.4); {@code null} leaves the evaluation
 *     without a verdict (neither passed nor failed)
 * @param customMetrics the {@code custom_metrics} of every evaluation (§2.3, {@code CustomMetricResult}); an empty
 *     list is sent as {@code null}, i.e. no list at all
 */
public record DigitalHumanSpec(
        int id,
        String name,
        String phoneNumber,
        @Nullable Boolean goalSuccess,
        List<ScriptedMetric> customMetrics) {

    /**
     * Checks the invariants and copies the list.
     *
     * @throws IllegalArgumentException if the id is not positive or the name or phone number is blank
     */
    public DigitalHumanSpec {
        if (id <= 0) {
            throw new IllegalArgumentException("digital human id must be positive, was " + id);
        }
        if (Objects.requireNonNull(name, "name is required").isBlank()) {
            throw new IllegalArgumentException("name of digital human " + id + " must not be blank");
        }
        if (Objects.requireNonNull(phoneNumber, "phoneNumber is required").isBlank()) {
            throw new IllegalArgumentException("phoneNumber of digital human " + id + " must not be blank");
        }
        customMetrics = List.copyOf(Objects.requireNonNull(customMetrics,
                "customMetrics is required (use an empty list for none)"));
    }

    /** A digital human without scripted custom metrics. */
    public DigitalHumanSpec(int id, String name, String phoneNumber, @Nullable Boolean goalSuccess) {
        this(id, name, phoneNumber, goalSuccess, List.of());
    }

    /**
     * One scripted custom-metric result ({@code CustomMetricResult}, API reference §2.3). {@code response_value} is
     * always a string, as in the real API.
     *
     * @param name the metric name, required
     * @param description the metric description, required
     * @param responseType e.g. {@code pass_fail}, {@code quantitative}, required
     * @param responseValue e.g. {@code pass}, {@code 4}, required
     * @param reasoning the reasoning text, or {@code null}
     */
    public record ScriptedMetric(
            String name,
            String description,
            String responseType,
            String responseValue,
            @Nullable String reasoning) {

        /** Checks that the required strings are present. */
        public ScriptedMetric {
            Objects.requireNonNull(name, "name is required");
            Objects.requireNonNull(description, "description is required");
            Objects.requireNonNull(responseType, "responseType is required");
            Objects.requireNonNull(responseValue, "responseValue is required");
        }
    }
}
