package dev.calleval.bluejay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a {@link BluejayClient} uses its {@link RequestBudget}: the first attempt alone until its body is taken (a first
 * request without a body: until its answer), every 429 told to the budget.
 */
class RequestBudgetTests {

    /** A budget that lets everything through and remembers the pauses asked of it, and when permits and wire hooks ran. */
    private static final class Recording implements RequestBudget {
        final List<Duration> pauses = new CopyOnWriteArrayList<>();
        final List<Long> acquiredNanos = new CopyOnWriteArrayList<>();
        final List<Long> onWireNanos = new CopyOnWriteArrayList<>();

        @Override
        public long acquire() {
            acquiredNanos.add(System.nanoTime());
            return 0;
        }

        @Override
        public Runnable wireHook() {
            return () -> onWireNanos.add(System.nanoTime());
        }

        @Override
        public void pause(Duration retryAfter) {
            pauses.add(retryAfter);
        }
    }

    private static BluejayClient client(SandboxServer sandbox, RequestBudget budget) {
        return new BluejayClient(new BluejayClientSettings(sandbox.baseUri(), ApiKey.of("test-key"), 20, Duration.ofSeconds(5),
                Duration.ofSeconds(10), new BluejayClientSettings.RetrySettings(3, Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5))),
                RequestListener.NONE, budget);
    }

    /** Six attempts at once from six threads, each by {@code call}; waits for all of them. */
    private static void sixAtOnce(java.util.concurrent.Callable<?> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(call));
            }
            for (Future<?> one : calls) {
                one.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFirstAttemptGoesAloneUntilItsBodyIsTakenNotUntilItsAnswer() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withLatency(Duration.ofSeconds(1)))) {
            Recording budget = new Recording();
            BluejayClient client = client(sandbox, budget);
            sixAtOnce(() -> client.evaluate(BluejayClientIntegrationTests.validRequest()));

            assertThat(budget.acquiredNanos).hasSize(6);
            assertThat(budget.onWireNanos).hasSize(6);
            // the other five took their permits after the first went on the wire ...
            long firstOnWire = budget.onWireNanos.get(0);
            assertThat(budget.acquiredNanos.subList(1, 6)).allSatisfy(acquired -> assertThat(acquired).isGreaterThanOrEqualTo(firstOnWire));
            // ... and did not wait for its answer, 1 s after it arrived
            List<LoggedRequest> requests = sandbox.requests();
            assertThat(requests).hasSize(6);
            assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(5).receivedAt())).isLessThan(Duration.ofMillis(600));
        }
    }

    @Test
    void aFirstAttemptWithoutABodyGoesAloneUntilItsAnswer() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withLatency(Duration.ofMillis(300)))) {
            BluejayClient client = client(sandbox, new Recording());
            sixAtOnce(() -> {
                client.ping(); // a GET: its wire hook runs before it is sent, so it cannot tell when it is on the wire
                return null;
            });

            List<LoggedRequest> requests = sandbox.requests();
            assertThat(requests).hasSize(6);
            // the other five were sent after the first was answered (300 ms after it arrived)
            assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        }
    }

    @Test
    void a429IsToldToTheBudgetWithItsRetryAfter() throws Exception {
        SandboxConfig refusesOnce = SandboxConfig.defaults().withFaults(SandboxConfig.Faults.none().withScriptedStatuses(List.of(429)));
        try (SandboxServer sandbox = SandboxServer.start(refusesOnce)) {
            Recording budget = new Recording();
            client(sandbox, budget).ping(); // refused once, then answered by the retry
            assertThat(budget.pauses).hasSize(1);
            assertThat(budget.pauses.get(0)).isPositive();
        }
    }
}
