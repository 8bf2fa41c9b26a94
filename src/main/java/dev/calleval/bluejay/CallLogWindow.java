package dev.calleval.bluejay;

/** The {@code last} time window of {@code GET /v1/retrieve-call-logs/{agent_id}} (§2.4). */
public enum CallLogWindow {
    ONE_DAY("1day"),
    THREE_DAYS("3days"),
    SEVEN_DAYS("7days"),
    THIRTY_DAYS("30days"),
    NINETY_DAYS("90days"),
    ALL("all");

    private final String value;

    CallLogWindow(String value) {
        this.value = value;
    }

    /** The query value, e.g. {@code 7days}. */
    public String value() {
        return value;
    }
}
