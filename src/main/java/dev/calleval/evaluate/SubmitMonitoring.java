package dev.calleval.evaluate;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * Creates the {@link SubmitStepMonitor} of each submit step, choosing where progress goes by
 * {@code calleval.progress.mode} ({@code CALLEVAL_PROGRESS_MODE}):
 * <ul>
 *   <li>{@code auto} (default): a live line on stderr when calleval runs on a terminal ({@link System#console()} is
 *       present and {@code TERM} is not {@code dumb}), redrawn 4 times a second and cleared at the end; otherwise a
 *       log line every {@code calleval.progress.interval} ({@code CALLEVAL_PROGRESS_INTERVAL}, default 30s) and one
 *       when the step ends;</li>
 *   <li>{@code terminal} or {@code log}: that, wherever calleval runs;</li>
 *   <li>{@code off}: no progress (the counters still count).</li>
 * </ul>
 */
@Component
public class SubmitMonitoring {
    /** How often the terminal line is redrawn. */
    static final Duration TERMINAL_PERIOD = Duration.ofMillis(250);
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(SubmitMonitoring.class);

    private final MeterRegistry registry;
    private final Mode mode;
    private final Duration interval;

    /** Where progress goes. */
    enum Mode { AUTO, TERMINAL, LOG, OFF }

    /**
     * A mode or interval that cannot be read is reported in the log and replaced by its default, so a typo never stops
     * a run.
     */
    SubmitMonitoring(MeterRegistry registry, @Value("${calleval.progress.mode:auto}") String mode,
            @Value("${calleval.progress.interval:30s}") String interval) {
        this.registry = registry;
        Mode parsedMode = Mode.AUTO;
        try {
            parsedMode = Mode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            log.warn("calleval.progress.mode (CALLEVAL_PROGRESS_MODE) must be auto, terminal, log or off, got \"{}\": using auto", mode);
        }
        this.mode = parsedMode;
        Duration parsedInterval = DEFAULT_INTERVAL;
        try {
            parsedInterval = DurationStyle.detectAndParse(interval.strip());
        } catch (IllegalArgumentException e) {
            log.warn("calleval.progress.interval (CALLEVAL_PROGRESS_INTERVAL) must be a duration such as 30s or 1m, got \"{}\": using 30s", interval);
        }
        if (parsedInterval.isZero() || parsedInterval.isNegative()) {
            log.warn("calleval.progress.interval (CALLEVAL_PROGRESS_INTERVAL) must be positive, got \"{}\": using 30s", interval);
            parsedInterval = DEFAULT_INTERVAL;
        }
        this.interval = parsedInterval;
    }

    /**
     * The monitor of one submit step; register it as a listener of the step and give it to the writer as its
     * {@link dev.calleval.evaluate.SubmissionObserver}.
     *
     * @param job the job's name
     * @param readFraction the share of the manifest read, 0–1 (negative when unknown)
     */
    public SubmitStepMonitor monitor(String job, DoubleSupplier readFraction) {
        Mode effective = mode == Mode.AUTO ? (onTerminal() ? Mode.TERMINAL : Mode.LOG) : mode;
        return switch (effective) {
            case TERMINAL -> new SubmitStepMonitor(job, readFraction, registry, new ProgressOutput.Terminal(System.err), TERMINAL_PERIOD, System::nanoTime);
            case LOG -> new SubmitStepMonitor(job, readFraction, registry, new ProgressOutput.Log(), interval, System::nanoTime);
            default -> new SubmitStepMonitor(job, readFraction, registry, ProgressOutput.NONE, interval, System::nanoTime);
        };
    }

    /** Whether calleval runs on an interactive terminal that can redraw a line. */
    static boolean onTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }
}
