package dev.calleval.webhook;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The receiver's settings, from {@link WebhookProperties} ({@code calleval.webhook.*}):
 * <ul>
 *   <li>the webhook signing secret ({@code calleval.webhook.secret}, from {@code BLUEJAY_WEBHOOK_SECRET} or
 *       {@code BLUEJAY_WEBHOOK_SECRET_FILE}) and, while it is rotated, the previous one
 *       ({@code calleval.webhook.previous-secret}, {@code BLUEJAY_WEBHOOK_SECRET_PREVIOUS}): a webhook signed with either
 *       is accepted;</li>
 *   <li>{@code calleval.webhook.allow-unsigned} ({@code CALLEVAL_WEBHOOK_ALLOW_UNSIGNED}, default false): without a
 *       secret, webhooks are refused (503) and a command that receives them from the real API does not start
 *       ({@link #requireSigning()}); true takes them unsigned, with a warning at every start. The sandbox run
 *       ({@code --sandbox}) sets its own secret through {@link #useSecret} before it sends anything;</li>
 *   <li>the largest body accepted ({@code calleval.webhook.max-body-size}, default {@value #DEFAULT_MAX_BODY_SIZE}; see
 *       {@link #maxBodyBytes()}).</li>
 * </ul>
 */
@Component
public class WebhookSettings {
    private static final Logger log = LoggerFactory.getLogger(WebhookSettings.class);

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
    private final boolean allowUnsigned;
    private final long maxBodyBytes;

    /**
     * @param properties {@code calleval.webhook.*}, the body limit already checked
     * @throws WebhookSecretException when a previous secret is set without a current one
     */
    WebhookSettings(WebhookProperties properties) {
        String secret = properties.secret();
        String previousSecret = properties.previousSecret();
        if (secret.isBlank() && !previousSecret.isBlank()) {
            throw new WebhookSecretException("BLUEJAY_WEBHOOK_SECRET_PREVIOUS is set but BLUEJAY_WEBHOOK_SECRET is not: set the new "
                    + "secret in BLUEJAY_WEBHOOK_SECRET (or BLUEJAY_WEBHOOK_SECRET_FILE) and keep the old one in _PREVIOUS while Bluejay switches");
        }
        this.verifier = secret.isBlank() ? null : new SignatureVerifier(secret, previousSecret.isBlank() ? null : previousSecret);
        this.allowUnsigned = properties.allowUnsigned();
        this.maxBodyBytes = properties.maxBodySize().toBytes();
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

    /** Whether the operator opted in to unsigned webhooks ({@code calleval.webhook.allow-unsigned: true}). */
    public boolean allowUnsigned() {
        return allowUnsigned;
    }

    /**
     * Checks, before a command that receives webhooks from the real API starts, that they can be verified: a secret is
     * configured, or the operator opted in to unsigned webhooks — then a warning is logged (at every start).
     *
     * @throws WebhookSecretException when there is no secret and no opt-in
     */
    public void requireSigning() {
        if (verifier != null) {
            return;
        }
        if (!allowUnsigned) {
            throw new WebhookSecretException("no webhook signing secret: set BLUEJAY_WEBHOOK_SECRET (or BLUEJAY_WEBHOOK_SECRET_FILE) to the "
                    + "webhook's signing secret, or accept unsigned webhooks with CALLEVAL_WEBHOOK_ALLOW_UNSIGNED=true "
                    + "(calleval.webhook.allow-unsigned)");
        }
        log.warn("webhooks: taken UNSIGNED (calleval.webhook.allow-unsigned=true, no BLUEJAY_WEBHOOK_SECRET): anyone who can reach "
                + "POST /webhooks/bluejay can write evaluation results; set BLUEJAY_WEBHOOK_SECRET");
    }

    /** Replaces the secret (used by {@code --sandbox}, whose sandbox signs with a per-run secret). */
    public void useSecret(String secret) {
        this.verifier = new SignatureVerifier(secret);
    }

    @Override
    public String toString() {
        SignatureVerifier v = verifier;
        return "WebhookSettings[secret=" + (v == null ? "unset" : v.rotating() ? "****, previous=****" : "****") + ", allowUnsigned="
                + allowUnsigned + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
}
