package dev.calleval.monitoring;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code bluejay} health component's settings ({@code calleval.health.bluejay.*}; docs/reports.md, "Health").
 *
 * @param cache how long one ping's answer is kept, so a storm of probes costs one request per period; {@code 0s}: every
 *     probe pings. Between 0s and 24h; default 30s ({@code calleval.health.bluejay.cache})
 */
@ConfigurationProperties("calleval.health.bluejay")
@Validated
record HealthSettings(
        @NotNull @DurationMin(seconds = 0, message = "must be between 0s and 24h") @DurationMax(hours = 24, message = "must be between 0s and 24h")
        @DefaultValue("30s") Duration cache) {}
