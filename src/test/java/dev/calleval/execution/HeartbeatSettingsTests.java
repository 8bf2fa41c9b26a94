package dev.calleval.execution;

import dev.calleval.config.Settings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code calleval.heartbeat.*}: defaults, binding, and a bad value told in one line. */
class HeartbeatSettingsTests {

    @Test
    void bindsTheDefaultsAndTheKeys() {
        assertThat(Settings.bind(HeartbeatSettings.class).get()).isEqualTo(new HeartbeatSettings(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(Settings.bind(HeartbeatSettings.class, "calleval.heartbeat.interval=1s", "calleval.heartbeat.timeout=2m").get())
                .isEqualTo(new HeartbeatSettings(Duration.ofSeconds(1), Duration.ofMinutes(2)));
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThat(Settings.bind(HeartbeatSettings.class, "calleval.heartbeat.interval=0s").failure())
                .startsWith("calleval.heartbeat.interval must be more than 0s (e.g. 5s), was 0s");
        assertThat(Settings.bind(HeartbeatSettings.class, "calleval.heartbeat.timeout=-1s").failure())
                .startsWith("calleval.heartbeat.timeout must be more than 0s (e.g. 30s), was -1s");
    }

    @Test
    void refusesATimeoutNotLongerThanTheInterval() {
        assertThat(Settings.bind(HeartbeatSettings.class, "calleval.heartbeat.timeout=5s").failure())
                .startsWith("calleval.heartbeat.timeout must be longer than calleval.heartbeat.interval, were 5s and 5s");
        assertThat(Settings.bind(HeartbeatSettings.class, "calleval.heartbeat.interval=1m", "calleval.heartbeat.timeout=30s").failure())
                .startsWith("calleval.heartbeat.timeout must be longer than calleval.heartbeat.interval, were 30s and 1m");
    }
}
