package dev.calleval.bluejay;

/**
 * HTTP 401 (the API key was refused) or 403 (the key is valid but has no organization or no access). Fatal for
 * a run: every further call would fail the same way. The message says which, and never includes the key.
 */
public final class AuthenticationFailedException extends BluejayApiException {
    public AuthenticationFailedException(String operation, int status) {
        super(operation, status, status == 401
                ? "the API key was refused; check BLUEJAY_API_KEY (create keys at app.getbluejay.ai/settings/api-keys)"
                : "the API key has no access to this resource (no organization, or another organization's data)",
                null);
    }
}
