package dev.calleval.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The receiver's settings as configured ({@code calleval.webhook.*}; docs/security-and-secrets.md), read by
 * {@link WebhookSettings}. {@link #toString()} masks the secrets.
 *
 * @param secret the HMAC-SHA256 signing secret of {@code X-Bluejay-Signature}; blank: none
 *     ({@code BLUEJAY_WEBHOOK_SECRET} or {@code BLUEJAY_WEBHOOK_SECRET_FILE})
 * @param previousSecret while the secret is rotated, the old one, also accepted; blank: none
 *     ({@code BLUEJAY_WEBHOOK_SECRET_PREVIOUS}); set only together with {@code secret}
 * @param allowUnsigned without a secret, take webhooks unsigned (with a warning at every start) instead of refusing to
 *     start a command that receives them from the real API; default false ({@code CALLEVAL_WEBHOOK_ALLOW_UNSIGNED})
 * @param maxBodySize the largest webhook body accepted ({@code 8MB}, {@code 512KB}); between 1B and 2GB, default
 *     {@value WebhookSettings#DEFAULT_MAX_BODY_SIZE} ({@code calleval.webhook.max-body-size})
 */
@ConfigurationProperties("calleval.webhook")
record WebhookProperties(
        @DefaultValue("") String secret,
        @DefaultValue("") String previousSecret,
        @DefaultValue("false") boolean allowUnsigned,
        @DefaultValue(WebhookSettings.DEFAULT_MAX_BODY_SIZE) DataSize maxBodySize) {

    /** @throws IllegalArgumentException when the body limit is not between 1B and 2GB (the message names the key) */
    WebhookProperties {
        if (maxBodySize == null || maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("calleval.webhook.max-body-size must be between 1B and 2GB, got " + maxBodySize);
        }
    }

    @Override
    public String toString() {
        return "WebhookProperties[secret=" + (secret.isBlank() ? "unset" : "****") + ", previousSecret="
                + (previousSecret.isBlank() ? "unset" : "****") + ", allowUnsigned=" + allowUnsigned + ", maxBodySize=" + maxBodySize + "]";
    }
}
