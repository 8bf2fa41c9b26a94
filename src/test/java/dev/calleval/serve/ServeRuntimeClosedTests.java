package dev.calleval.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * serve's runtime when its context closes before the serve command starts it (SIGTERM while serve was starting, or a
 * test closing it at once): it starts nothing, and the command's wait for it to stop returns.
 */
class ServeRuntimeClosedTests {

    @Test
    void aRuntimeWhoseContextClosedBeforeItStartedStartsNothingAndIsStopped() {
        // no collaborator is touched: a closed runtime returns before it opens launches or schedules anything
        ServeRuntime runtime = new ServeRuntime(null, null, null, null, Clock.systemUTC(), null, null, null, null, null);
        runtime.destroy();

        ServeRuntime.Settings settings = new ServeRuntime.Settings(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofHours(6), 1, Duration.ofMinutes(1));
        assertThat(runtime.start(settings, new TreeMap<>(), Path.of("jobs"), null)).isFalse();
        assertThat(runtime.isRunning()).isFalse();
        assertTimeoutPreemptively(Duration.ofSeconds(5), runtime::awaitStopped, "the serve command's wait returns");
    }
}
