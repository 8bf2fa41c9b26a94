package dev.calleval.bluejay;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Result of one custom metric inside an evaluation (§2.3, schema {@code src__models__api_custom_metric__CustomMetric}).
 * {@code responseValue} is always a string, even for numeric metrics; results carry no metric UUID and are
 * identified by {@code name}.
 */
public record CustomMetricResult(
        String name,
        @Nullable String description,
        @Nullable String responseType,
        @Nullable String responseValue,
        @Nullable String reasoning,
        @Nullable Double minValue,
        @Nullable Double maxValue,
        @Nullable String category,
        @Nullable List<String> tags) {}
