package dev.calleval.execution;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * A running job execution's heartbeat ({@code calleval.heartbeat.*}; docs/operations.md). The timeout must be longer
 * than the interval: {@link ExecutionLiveness} refuses it otherwise (one line naming both keys).
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
        @NotNull @DurationMin(nanos = 0, inclusive = false, message = "must be more than 0s (e.g. 30s)") @DefaultValue("30s") Duration timeout) {}
