package dev.calleval.webhook;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The receiver's settings: the webhook signing secret ({@code BLUEJAY_WEBHOOK_SECRET}; unset: signatures are not
 * checked, and a warning is logged at start; the sandbox run sets its own secret through {@link #useSecret} before it
 * sends anything) and the largest body accepted ({@code calleval.webhook.max-body-size}, default
 * {@value #DEFAULT_MAX_BODY_SIZE}; see {@link #maxBodyBytes()}).
 */
@Component
public class WebhookSettings {
    /**
     * The default body limit. The largest legitimate event is an {@code observability_call_evaluated}: the call log
     * as submitted (participants, tool calls, events, tags, metadata and, per the docs' example, the transcript; never
     * the recording, which comes back as a URL) plus its evaluations (a few KB per custom metric). A 10-hour call's
     * transcript (about 90,000 words in 7,500 entries) is about 1.1 MB of JSON, so 4 MB leaves room for large
     * tool-call outputs and metadata, while a sender without the secret can make the receiver hold at most 4 MB per
     * connection before the signature is checked. A refused event is not a lost result: the reconcile step polls
     * {@code retrieve-call-log} for every call without a result after {@code results.poll-after}.
     */
    public static final String DEFAULT_MAX_BODY_SIZE = "4MB";

    private volatile @Nullable SignatureVerifier verifier;
    private final long maxBodyBytes;

    WebhookSettings(@Value("${BLUEJAY_WEBHOOK_SECRET:}") String secret,
            @Value("${calleval.webhook.max-body-size:" + DEFAULT_MAX_BODY_SIZE + "}") DataSize maxBodySize) {
        this.verifier = secret.isBlank() ? null : new SignatureVerifier(secret);
        if (maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("calleval.webhook.max-body-size must be between 1B and 2GB, got " + maxBodySize);
        }
        this.maxBodyBytes = maxBodySize.toBytes();
    }

    /**
     * The largest webhook body accepted, in bytes ({@code calleval.webhook.max-body-size}, e.g. {@code 8MB} or
     * {@code 512KB}). A longer body is answered 413 before it is read whole.
     */
    public long maxBodyBytes() {
        return maxBodyBytes;
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
        return "WebhookSettings[secret=" + (verifier == null ? "unset" : "****") + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
}
