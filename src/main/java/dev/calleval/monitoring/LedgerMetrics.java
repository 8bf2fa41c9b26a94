package dev.calleval.monitoring;

import dev.calleval.ledger.LedgerCounts;
import dev.calleval.ledger.LedgerState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Gauges of the ledger, over all jobs: {@code calleval.calls.overdue} (calls submitted longer than their job's
 * {@code results.window} ago without a result, state OVERDUE), {@code calleval.calls.awaiting.results} (SUBMITTED,
 * within the window), {@code calleval.calls.awaiting.next.run} (DEFERRED: past a run's {@code sampling.max-calls}, the
 * next run sends them) and {@code calleval.calls.outside.sample} (NOT_SAMPLED: outside their job's
 * {@code sampling.percent}). Computed with one query when scraped, at most once per {@code calleval.metrics.ledger-cache}
 * ({@link MetricsSettings}, default 30s), so a scrape storm does not scan the ledger each time; a failed query shows the last counts (NaN
 * before the first).
 */
@Component
class LedgerMetrics implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(LedgerMetrics.class);
    private static final List<LedgerState> STATES = List.of(LedgerState.OVERDUE, LedgerState.SUBMITTED, LedgerState.DEFERRED,
            LedgerState.NOT_SAMPLED);

    private final LedgerCounts ledger;
    private final Clock clock;
    private final Duration cacheFor;
    private @Nullable Map<LedgerState, Long> counts;
    private @Nullable Instant countedAt;

    LedgerMetrics(LedgerCounts ledger, Clock clock, MetricsSettings settings) {
        this.ledger = ledger;
        this.clock = clock;
        this.cacheFor = settings.ledgerCache();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("calleval.calls.overdue", this, m -> m.count(LedgerState.OVERDUE))
                .description("calls submitted without a result after their job's results window (all jobs)")
                .register(registry);
        Gauge.builder("calleval.calls.awaiting.results", this, m -> m.count(LedgerState.SUBMITTED))
                .description("calls submitted and waiting for their result, within the window (all jobs)")
                .register(registry);
        Gauge.builder("calleval.calls.awaiting.next.run", this, m -> m.count(LedgerState.DEFERRED))
                .description("calls deferred past a run's sampling.max-calls: the next run sends them (all jobs)")
                .register(registry);
        Gauge.builder("calleval.calls.outside.sample", this, m -> m.count(LedgerState.NOT_SAMPLED))
                .description("calls outside their job's sampling.percent: not sent (all jobs)")
                .register(registry);
    }

    /** The count of calls in {@code state}, at most {@code cacheFor} old. */
    synchronized double count(LedgerState state) {
        Instant now = clock.instant();
        if (counts == null || countedAt == null || !now.isBefore(countedAt.plus(cacheFor))) {
            try {
                counts = ledger.countByState(STATES);
                countedAt = now;
            } catch (RuntimeException e) {
                log.warn("cannot count the ledger's calls for the metrics: {}", e.getMessage());
                countedAt = now; // try again after the cache period, not on every scrape
            }
        }
        Map<LedgerState, Long> known = counts;
        return known == null ? Double.NaN : known.getOrDefault(state, 0L);
    }
}
