package dev.calleval.quality;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The check at the end of a run of a job with a {@code quality:} section: the execution compared with the completed
 * executions before it, as {@code compare --job} would once it is recorded; each regression logged at WARN and the
 * alert URL told ({@link Alerts}, bounded by its timeout). Never fails the run: the run's outcome is its calls'.
 */
@Component
public class RunCheck {
    private static final Logger log = LoggerFactory.getLogger(RunCheck.class);

    private final Nights nights;
    private final Alerts alerts;

    public RunCheck(Nights nights, Alerts alerts) {
        this.nights = nights;
        this.alerts = alerts;
    }

    /**
     * Compares {@code executionId} with up to {@code baselineLast} completed executions of {@code job} before it.
     *
     * @return the comparison, null when the job has no earlier completed execution
     */
    public @Nullable CompareResult afterRun(String job, long executionId, Comparison comparison, int baselineLast) {
        List<Long> baseline = nights.records().completedExecutions(job, executionId, baselineLast).stream()
                .map(QualityRecords.ExecutionRef::id).sorted().toList();
        if (baseline.isEmpty()) {
            return null;
        }
        CompareResult result = nights.compare(job, baseline, executionId, null, comparison);
        for (Change c : result.regressions()) {
            log.warn("{} execution {}: regression (quality:): {}", job, executionId, CompareResult.named(c));
        }
        alerts.send(result);
        return result;
    }
}
