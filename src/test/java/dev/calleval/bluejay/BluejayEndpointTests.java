package dev.calleval.bluejay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BluejayEndpointTests {

    private static String key(String url) {
        return BluejayEndpoint.of(URI.create(url)).key();
    }

    @Test
    void theDefaultIsTheRealApiRoot() {
        assertThat(BluejayEndpoint.DEFAULT.key()).isEqualTo("https://api.getbluejay.ai");
        assertThat(BluejayEndpoint.DEFAULT.isSandbox()).isFalse();
        assertThat(BluejayEndpoint.SANDBOX.key()).isEqualTo("sandbox");
        assertThat(BluejayEndpoint.SANDBOX.isSandbox()).isTrue();
    }

    @Test
    void spellingsOfOneBaseUrlAreOneEndpoint() {
        assertThat(key("https://api.getbluejay.ai")).isEqualTo("https://api.getbluejay.ai");
        assertThat(key("https://api.getbluejay.ai/")).isEqualTo("https://api.getbluejay.ai");
        assertThat(key("HTTPS://API.GetBluejay.AI:443//")).isEqualTo("https://api.getbluejay.ai");
        assertThat(key("http://127.0.0.1:80")).isEqualTo("http://127.0.0.1");
    }

    @Test
    void portAndPathTellEndpointsApart() {
        assertThat(key("http://127.0.0.1:41234")).isEqualTo("http://127.0.0.1:41234");
        assertThat(key("https://api.getbluejay.ai:8443")).isEqualTo("https://api.getbluejay.ai:8443");
        assertThat(key("https://proxy.example.com/Bluejay/v0/")).as("the path keeps its case").isEqualTo("https://proxy.example.com/Bluejay/v0");
        assertThat(key("http://127.0.0.1:41234")).isNotEqualTo(key("http://127.0.0.1:41235"));
    }

    @Test
    void neverKeepsUserInfoQueryOrFragment() {
        assertThat(key("https://user:s3cret@api.getbluejay.ai/?key=s3cret#s3cret")).isEqualTo("https://api.getbluejay.ai").doesNotContain("s3cret");
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> key("api.getbluejay.ai")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BLUEJAY_BASE_URL");
        assertThatThrownBy(() -> key("ftp://api.getbluejay.ai")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
        assertThatThrownBy(() -> new BluejayEndpoint("elsewhere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key("https://example.com/" + "a".repeat(400))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 300");
    }

    @Test
    void aClientRecordsItsCallsUnderItsBaseUrlUnlessToldOtherwise() {
        BluejayClientSettings settings = new BluejayClientSettings(URI.create("http://127.0.0.1:5000/"), ApiKey.of("k"), 0, Duration.ofSeconds(1),
                Duration.ofSeconds(1), BluejayClientSettings.RetrySettings.defaults());
        assertThat(new BluejayClient(settings).endpoint().key()).isEqualTo("http://127.0.0.1:5000");
        assertThat(new BluejayClient(settings.withEndpoint(BluejayEndpoint.SANDBOX)).endpoint()).isEqualTo(BluejayEndpoint.SANDBOX);
    }
}
