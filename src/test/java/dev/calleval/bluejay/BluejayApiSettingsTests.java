package dev.calleval.bluejay;

import dev.calleval.config.Settings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code calleval.bluejay.*}: the default API, the documented variables, a masked key, and a misspelt key refused. */
class BluejayApiSettingsTests {

    @Test
    void bindsTheDefaultAndTheVariables() {
        assertThat(Settings.bind(BluejayApiSettings.class).get()).isEqualTo(new BluejayApiSettings("https://api.getbluejay.ai", ""));
        BluejayApiSettings set = Settings.bind(BluejayApiSettings.class, "BLUEJAY_BASE_URL=http://127.0.0.1:9", "BLUEJAY_API_KEY=k3y").get();
        assertThat(set).isEqualTo(new BluejayApiSettings("http://127.0.0.1:9", "k3y"));
        assertThat(set.toString()).doesNotContain("k3y");
        assertThat(Settings.bind(BluejayApiSettings.class, "calleval.bluejay.base-url=http://127.0.0.1:8").get().baseUrl()).isEqualTo("http://127.0.0.1:8");
    }

    @Test
    void refusesAMisspeltKey() {
        assertThat(Settings.bind(BluejayApiSettings.class, "calleval.bluejay.base-ulr=http://127.0.0.1:9").failure())
                .startsWith("unknown setting calleval.bluejay.base-ulr (").contains("did you mean calleval.bluejay.base-url?");
    }
}
