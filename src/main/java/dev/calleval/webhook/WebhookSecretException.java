package dev.calleval.webhook;

/**
 * The webhook signing secrets are configured in a way calleval refuses to run with: no secret for a command that
 * receives webhooks from the real API (and {@code calleval.webhook.allow-unsigned} not set), or a previous secret
 * without a current one. The message is the one line an operator reads; it names the variables, never a secret.
 *
 * <p>It is an {@link IllegalArgumentException} so that the command line reports it as bad configuration: one line on
 * stderr, exit 2 (thrown while the context starts, {@code StartupFailures} tells it the same way).
 */
public final class WebhookSecretException extends IllegalArgumentException {
    WebhookSecretException(String message) {
        super(message);
    }
}
