package dev.calleval.webhook;

import dev.calleval.config.Settings;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code calleval.webhook.*}: defaults, the documented variables, and a bad value told in one line without a secret. */
class WebhookPropertiesTests {

    @Test
    void bindsTheDefaultsAndTheVariables() {
        assertThat(Settings.bind(WebhookProperties.class).get())
                .isEqualTo(new WebhookProperties("", "", false, DataSize.parse(WebhookSettings.DEFAULT_MAX_BODY_SIZE)));
        WebhookProperties set = Settings.bind(WebhookProperties.class, "BLUEJAY_WEBHOOK_SECRET=new-secret",
                "BLUEJAY_WEBHOOK_SECRET_PREVIOUS=old-secret", "calleval.webhook.allow-unsigned=true", "calleval.webhook.max-body-size=8MB").get();
        assertThat(set).isEqualTo(new WebhookProperties("new-secret", "old-secret", true, DataSize.ofMegabytes(8)));
        assertThat(set.toString()).doesNotContain("new-secret").doesNotContain("old-secret");
        // a key set explicitly wins over its variable, as the application.yaml placeholder did
        assertThat(Settings.bind(WebhookProperties.class, "BLUEJAY_WEBHOOK_SECRET=from-variable", "calleval.webhook.secret=from-key").get().secret())
                .isEqualTo("from-key");
    }

    @Test
    void refusesABodyLimitOutOfRangeAndAnUnreadableFlag() {
        assertThat(Settings.bind(WebhookProperties.class, "calleval.webhook.max-body-size=0").failure())
                .startsWith("calleval.webhook.max-body-size must be between 1B and 2GB, got 0B");
        assertThat(Settings.bind(WebhookProperties.class, "calleval.webhook.allow-unsigned=maybe").failure())
                .startsWith("invalid setting calleval.webhook.allow-unsigned").contains("maybe");
    }
}
