package dev.calleval.bluejay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendWindowTests {
    private static final long MS = 1_000_000L;

    @Test
    void pacedStartsAreNeverHeldBack() {
        SendWindow window = new SendWindow(20, Duration.ofMillis(1004), () -> 0);
        long period = Math.round(1_000_000_000d / (20 * 0.995)); // the rate limiter's spacing at 20/s
        for (int k = 0; k < 200; k++) {
            long now = k * period;
            assertThat(window.reserve(now)).as("start %d", k).isEqualTo(now);
        }
    }

    @Test
    void aBurstIsSpreadSoNoWindowHoldsMoreThanTheLimit() {
        SendWindow window = new SendWindow(5, Duration.ofMillis(1004), () -> 0);
        List<Long> starts = new ArrayList<>();
        for (int k = 0; k < 17; k++) {
            starts.add(window.reserve(0)); // every thread woke at the same moment
        }
        assertThat(starts.subList(0, 5)).containsOnly(0L);
        assertThat(starts.get(5)).isEqualTo(1004 * MS);
        assertThat(starts.get(10)).isEqualTo(2008 * MS);
        assertThat(starts).isSorted();
        for (int i = 5; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 5)).as("start %d vs %d", i, i - 5).isGreaterThanOrEqualTo(1004 * MS);
        }
    }

    @Test
    void aLateThreadDoesNotLetTheNextOnesBunch() {
        SendWindow window = new SendWindow(3, Duration.ofMillis(1000), () -> 0);
        assertThat(window.reserve(0)).isZero();
        assertThat(window.reserve(340 * MS)).isEqualTo(340 * MS);
        assertThat(window.reserve(670 * MS)).isEqualTo(670 * MS);
        // the thread of start 4 woke 30 ms early relative to the window of start 1: held back to 1000 ms
        assertThat(window.reserve(970 * MS)).isEqualTo(1000 * MS);
        // a start asked for before the previous reserved one is not let through ahead of it
        assertThat(window.reserve(990 * MS)).isEqualTo(1340 * MS);
    }

    @Test
    void awaitStartWaitsOnTheGivenClock() throws InterruptedException {
        AtomicLong clock = new AtomicLong();
        SendWindow window = new SendWindow(1, Duration.ofMillis(5), () -> clock.addAndGet(MS)); // 1 ms per reading
        assertThat(window.awaitStart()).isZero();
        long waited = window.awaitStart();
        assertThat(waited).isBetween(3 * MS, 5 * MS);
    }

    @Test
    void forRateUsesWholeRequestsPerSecondAndNoneBelowOne() {
        assertThat(SendWindow.forRate(0.5, Duration.ofMillis(4))).isNull();
        SendWindow window = SendWindow.forRate(20.7, Duration.ofMillis(4));
        assertThat(window).isNotNull();
        for (int k = 0; k < 20; k++) {
            assertThat(window.reserve(0)).isZero();
        }
        assertThat(window.reserve(0)).isEqualTo(1004 * MS);
        assertThatThrownBy(() -> new SendWindow(0, Duration.ofSeconds(1), () -> 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
