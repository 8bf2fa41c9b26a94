package dev.calleval.sandbox;

import java.util.concurrent.atomic.AtomicLong;

/** The counters of one endpoint; see {@link SandboxStats.EndpointStats}. Thread-safe. */
final class EndpointCounters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong rejected422 = new AtomicLong();
    final AtomicLong notFound404 = new AtomicLong();
    final AtomicLong faulted = new AtomicLong();
    final AtomicLong acceptedThenFailed = new AtomicLong();
    final AtomicLong acceptedThenReset = new AtomicLong();

    /** Counts the outcome of one request (its arrival is counted in {@link #requests} beforehand). */
    void count(Answer answer) {
        if (answer.processed()) {
            accepted.incrementAndGet();
            if ("accept_then_fail".equals(answer.fault())) {
                acceptedThenFailed.incrementAndGet();
            } else if ("accept_then_reset".equals(answer.fault())) {
                acceptedThenReset.incrementAndGet();
            }
        } else if (answer.fault() != null) {
            faulted.incrementAndGet();
        } else if (answer.status() == 422) {
            rejected422.incrementAndGet();
        } else if (answer.status() == 404) {
            notFound404.incrementAndGet();
        }
    }

    SandboxStats.EndpointStats snapshot() {
        return new SandboxStats.EndpointStats(requests.get(), accepted.get(), rejected422.get(),
                notFound404.get(), faulted.get(), acceptedThenFailed.get(), acceptedThenReset.get());
    }
}
