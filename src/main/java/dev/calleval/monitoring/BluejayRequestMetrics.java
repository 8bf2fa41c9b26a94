package dev.calleval.monitoring;

import dev.calleval.bluejay.RequestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The Bluejay client's metrics, as the {@link RequestListener} of every client calleval creates:
 * <ul>
 *   <li>{@code calleval.bluejay.requests} (timer, tags {@code endpoint} e.g. {@code POST /v1/evaluate}, {@code status}:
 *       the HTTP status, or {@code none} when no response arrived): each HTTP attempt's latency, from sending to the
 *       end of the response, with a histogram for percentiles;</li>
 *   <li>{@code calleval.bluejay.too.many.requests} (counter, tag {@code endpoint}): 429 answers;</li>
 *   <li>{@code calleval.bluejay.retries} (counter, tag {@code endpoint}): retries scheduled;</li>
 *   <li>{@code calleval.bluejay.rate.limiter.wait} (timer): how long each attempt waited for its rate-limit permit.</li>
 * </ul>
 * Meters are looked up once per endpoint and status, then reused: the hot path is a map read and a timer record.
 */
@Component
public class BluejayRequestMetrics implements RequestListener {
    private final MeterRegistry registry;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> tooManyRequests = new ConcurrentHashMap<>();
    private final Map<String, Counter> retries = new ConcurrentHashMap<>();
    private final Timer rateLimiterWait;

    BluejayRequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.rateLimiterWait = Timer.builder("calleval.bluejay.rate.limiter.wait")
                .description("time each request waited for its rate-limit permit")
                .register(registry);
    }

    @Override
    public void responded(String operation, int status, long nanos) {
        String key = operation + ' ' + status;
        Timer timer = requests.get(key);
        if (timer == null) {
            timer = requests.computeIfAbsent(key, k -> Timer.builder("calleval.bluejay.requests")
                    .description("HTTP attempts to the Bluejay API, from sending to the end of the response")
                    .tag("endpoint", operation)
                    .tag("status", status == 0 ? "none" : Integer.toString(status))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(2))
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (status == 429) {
            tooManyRequests.computeIfAbsent(operation, op -> Counter.builder("calleval.bluejay.too.many.requests")
                    .description("429 Too Many Requests answers").tag("endpoint", op).register(registry)).increment();
        }
    }

    @Override
    public void rateLimiterWaited(long nanos) {
        rateLimiterWait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retrying(String operation) {
        retries.computeIfAbsent(operation, op -> Counter.builder("calleval.bluejay.retries")
                .description("retries scheduled after a transient failure").tag("endpoint", op).register(registry)).increment();
    }
}
