package dev.calleval.webhook;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The webhook signing secret ({@code BLUEJAY_WEBHOOK_SECRET}). Unset: signatures are not checked (a warning
 * is logged at start). The sandbox run sets its own secret through {@link #useSecret} before it sends anything.
 */
@Component
public class WebhookSettings {
    private volatile @Nullable SignatureVerifier verifier;

    WebhookSettings(@Value("${BLUEJAY_WEBHOOK_SECRET:}") String secret) {
        this.verifier = secret.isBlank() ? null : new SignatureVerifier(secret);
    }

    /** The verifier, or null when no secret is configured. */
    public @Nullable SignatureVerifier verifier() {
        return verifier;
    }

    /** Replaces the secret (used by {@code --sandbox}, whose sandbox signs with a per-run secret). */
    public void useSecret(String secret) {
        this.verifier = new SignatureVerifier(secret);
    }

    @Override
    public String toString() {
        return "WebhookSettings[secret=" + (verifier == null ? "unset" : "****") + "]";
    }
}
