package dev.calleval.evaluate;

import dev.calleval.config.Settings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code calleval.progress.*}: defaults, binding, and a bad value told in one line. */
class ProgressSettingsTests {

    @Test
    void bindsTheDefaultsAndTheKeys() {
        assertThat(Settings.bind(ProgressSettings.class).get()).isEqualTo(new ProgressSettings(SubmitMonitoring.Mode.AUTO, Duration.ofSeconds(30)));
        assertThat(Settings.bind(ProgressSettings.class, "calleval.progress.mode=log", "calleval.progress.interval=100ms").get())
                .isEqualTo(new ProgressSettings(SubmitMonitoring.Mode.LOG, Duration.ofMillis(100)));
    }

    @Test
    void refusesAnIntervalOutOfRangeOrUnreadableAndAnUnknownMode() {
        assertThat(Settings.bind(ProgressSettings.class, "calleval.progress.interval=0s").failure())
                .startsWith("calleval.progress.interval must be between 1ms and 24h (e.g. 30s or 1m), was 0s");
        assertThat(Settings.bind(ProgressSettings.class, "calleval.progress.interval=banana").failure())
                .startsWith("invalid setting calleval.progress.interval: 'banana' is not a valid duration");
        assertThat(Settings.bind(ProgressSettings.class, "calleval.progress.mode=loud").failure())
                .startsWith("invalid setting calleval.progress.mode = 'loud': must be one of auto, terminal, log, off");
    }
}
