package dev.calleval.monitoring;

import dev.calleval.config.Settings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code calleval.health.bluejay.*} and {@code calleval.metrics.*}: defaults, binding, and a bad value told in one line. */
class MonitoringSettingsTests {

    @Test
    void bindsTheDefaultsAndTheKeys() {
        assertThat(Settings.bind(HealthSettings.class).get().cache()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Settings.bind(MetricsSettings.class).get().ledgerCache()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Settings.bind(HealthSettings.class, "calleval.health.bluejay.cache=0s").get().cache()).isZero();
        assertThat(Settings.bind(MetricsSettings.class, "calleval.metrics.ledger-cache=2m").get().ledgerCache()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesACacheOutOfRange() {
        assertThat(Settings.bind(HealthSettings.class, "calleval.health.bluejay.cache=-1s").failure())
                .startsWith("calleval.health.bluejay.cache must be between 0s and 24h, was -1s");
        assertThat(Settings.bind(MetricsSettings.class, "calleval.metrics.ledger-cache=25h").failure())
                .startsWith("calleval.metrics.ledger-cache must be between 0s and 24h, was 25h");
    }
}
