package dev.calleval.budget;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/**
 * Bucket4j's clock for a bucket shared by several processes: the wall clock in nanoseconds since the epoch (microsecond
 * resolution on Linux), since {@link System#nanoTime} means nothing in another JVM. Processes on several hosts need
 * their clocks in step (NTP), as every client-clock distributed bucket does.
 */
final class WallClock implements TimeMeter {
    private final Clock clock;

    WallClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
