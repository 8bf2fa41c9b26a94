package dev.calleval.serve;

import dev.calleval.config.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code calleval.serve.*}: defaults, {@code CALLEVAL_API_TOKEN}, and a bad value told in one line without the token. */
class ServeSettingsTests {

    @Test
    void bindsTheDefaultsAndTheVariable() {
        assertThat(Settings.bind(ServeSettings.class).get()).isEqualTo(new ServeSettings(true, ""));
        ServeSettings set = Settings.bind(ServeSettings.class, "CALLEVAL_API_TOKEN=t0ken", "calleval.serve.handle-signals=false").get();
        assertThat(set).isEqualTo(new ServeSettings(false, "t0ken"));
        assertThat(set.toString()).doesNotContain("t0ken");
    }

    @Test
    void refusesAnUnreadableFlag() {
        assertThat(Settings.bind(ServeSettings.class, "calleval.serve.handle-signals=sometimes").failure())
                .startsWith("invalid setting calleval.serve.handle-signals").contains("sometimes");
    }
}
