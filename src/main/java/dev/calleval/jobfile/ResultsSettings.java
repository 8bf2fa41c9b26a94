package dev.calleval.jobfile;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Waiting for results.
 *
 * @param window a submitted call without a result after this long is OVERDUE (still matched if one arrives)
 * @param pollAfter a call without a webhook this long after submission is polled with retrieve-call-log
 * @param pollInterval pause between polling rounds while a run waits for results
 */
public record ResultsSettings(
        @DefaultValue("6h") Duration window,
        @DefaultValue("5m") Duration pollAfter,
        @DefaultValue("10s") Duration pollInterval) {}
