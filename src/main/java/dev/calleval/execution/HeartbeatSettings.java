package dev.calleval.execution;

import dev.calleval.config.Durations;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A running job execution's heartbeat ({@code calleval.heartbeat.*}; docs/operations.md). The timeout must be longer
 * than the interval: binding fails otherwise, told at start in one line naming both keys (exit 2).
 *
 * @param interval how often a running execution writes its heartbeat; more than 0s, default 5s
 *     ({@code calleval.heartbeat.interval})
 * @param timeout a heartbeat older than this (its process on another host, so not checked directly) means the execution
 *     died; more than 0s and longer than the interval, default 30s ({@code calleval.heartbeat.timeout})
 */
@ConfigurationProperties("calleval.heartbeat")
@Validated
record HeartbeatSettings(
        @NotNull @DurationMin(nanos = 0, inclusive = false, message = "must be more than 0s (e.g. 5s)") @DefaultValue("5s") Duration interval,
        @NotNull @DurationMin(nanos = 0, inclusive = false, message = "must be more than 0s (e.g. 30s)") @DefaultValue("30s") Duration timeout) {

    HeartbeatSettings {
        // a value of 0s or less is told by its constraint instead
        if (interval != null && timeout != null && !interval.isNegative() && !interval.isZero() && !timeout.isNegative() && !timeout.isZero() && timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("calleval.heartbeat.timeout must be longer than calleval.heartbeat.interval, were "
                    + Durations.shown(timeout) + " and " + Durations.shown(interval));
        }
    }
}
