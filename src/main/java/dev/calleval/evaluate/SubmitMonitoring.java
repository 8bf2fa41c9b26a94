package dev.calleval.evaluate;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.springframework.stereotype.Component;

/**
 * Creates the {@link SubmitStepMonitor} of each submit step, choosing where progress goes by
 * {@code calleval.progress.mode} ({@code CALLEVAL_PROGRESS_MODE}; {@link ProgressSettings}):
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
class SubmitMonitoring {
    /** How often the terminal line is redrawn. */
    static final Duration TERMINAL_PERIOD = Duration.ofMillis(250);

    private final MeterRegistry registry;
    private final Mode mode;
    private final Duration interval;

    /** Where progress goes. */
    enum Mode { AUTO, TERMINAL, LOG, OFF }

    /**
     * @param settings {@code calleval.progress.*}; a mode or interval that cannot be read stops the start (one line,
     *     exit 2), as every other setting does
     */
    SubmitMonitoring(MeterRegistry registry, ProgressSettings settings) {
        this.registry = registry;
        this.mode = settings.mode();
        this.interval = settings.interval();
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
