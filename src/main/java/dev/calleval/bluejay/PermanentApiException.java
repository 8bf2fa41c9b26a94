package dev.calleval.bluejay;

/** Any other 4xx answer (400, 404, 413, ...): the same request will fail again. */
public final class PermanentApiException extends BluejayApiException {
    public PermanentApiException(String operation, int status, String message) {
        super(operation, status, message, null);
    }
}
