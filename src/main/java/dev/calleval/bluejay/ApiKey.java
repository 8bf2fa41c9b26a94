package dev.calleval.bluejay;

/**
 * The Bluejay API key. Its {@link #toString()} never shows the value, so it can sit in configuration records
 * and log lines safely; only {@link #reveal()} (used to set the {@code X-API-Key} header) gives it out.
 */
public final class ApiKey {
    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    /**
     * @throws IllegalArgumentException when the key is blank (the message names the variable, not the value)
     */
    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("BLUEJAY_API_KEY is empty: set it to a key from app.getbluejay.ai/settings/api-keys, or run with --sandbox");
        }
        return new ApiKey(value.strip());
    }

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "ApiKey[****]";
    }
}
