package dev.calleval.execution;

import dev.calleval.config.Durations;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A running job execution's heartbeat ({@code calleval.heartbeat.*}; docs/operations.md). The timeout must be longer
 * than the interval: binding fails otherwise, told at start in one line naming the key (exit 2). The only place these
 * rules are checked: {@link ExecutionLiveness} takes its durations from here.
 *
 * @param interval how often a running execution writes its heartbeat; more than 0s, default 5s
 *     ({@code calleval.heartbeat.interval})
 * @param timeout a heartbeat older than this (its process on another host, so not checked directly) means the execution
 *     died; more than 0s and longer than the interval, default 30s ({@code calleval.heartbeat.timeout})
 */
@ConfigurationProperties("calleval.heartbeat")
record HeartbeatSettings(@DefaultValue("5s") Duration interval, @DefaultValue("30s") Duration timeout) {

    /** @throws IllegalArgumentException naming the key, when a duration is 0s or less or the timeout not longer than the interval */
    HeartbeatSettings {
        positive(interval, "calleval.heartbeat.interval", "5s");
        positive(timeout, "calleval.heartbeat.timeout", "30s");
        if (timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("calleval.heartbeat.timeout must be longer than calleval.heartbeat.interval, were "
                    + Durations.shown(timeout) + " and " + Durations.shown(interval));
        }
    }

    private static void positive(Duration value, String key, String example) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be more than 0s (e.g. " + example + "), was " + Durations.shown(value));
        }
    }
}
