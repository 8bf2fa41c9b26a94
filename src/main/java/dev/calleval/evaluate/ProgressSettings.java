package dev.calleval.evaluate;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the submit step's progress goes ({@code calleval.progress.*}; docs/reports.md, "Progress"); see
 * {@link SubmitMonitoring}.
 *
 * @param mode {@code auto} (a live line on a terminal, else a log line every interval), {@code terminal}, {@code log}
 *     or {@code off}; default auto ({@code CALLEVAL_PROGRESS_MODE})
 * @param interval how often the log line is written in log mode; between 1ms and 24h, default 30s
 *     ({@code CALLEVAL_PROGRESS_INTERVAL})
 */
@ConfigurationProperties("calleval.progress")
@Validated
record ProgressSettings(
        @NotNull @DefaultValue("auto") SubmitMonitoring.Mode mode,
        @NotNull @DurationMin(millis = 1, message = "must be between 1ms and 24h (e.g. 30s or 1m)")
        @DurationMax(hours = 24, message = "must be between 1ms and 24h (e.g. 30s or 1m)") @DefaultValue("30s") Duration interval) {}
