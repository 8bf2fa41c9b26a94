package dev.calleval.monitoring;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ledger gauges' settings ({@code calleval.metrics.*}; docs/reports.md, "Metrics").
 *
 * @param ledgerCache how long the counts of one ledger query are kept, so a scrape storm does not scan the ledger each
 *     time; {@code 0s}: every scrape queries. Between 0s and 24h; default 30s ({@code calleval.metrics.ledger-cache})
 */
@ConfigurationProperties("calleval.metrics")
@Validated
record MetricsSettings(
        @NotNull @DurationMin(seconds = 0, message = "must be between 0s and 24h") @DurationMax(hours = 24, message = "must be between 0s and 24h")
        @DefaultValue("30s") Duration ledgerCache) {}
