package dev.calleval.bluejay;

/** {@code call_direction}, seen from the agent (§1.1). Bluejay's default is {@link #INBOUND}. */
public enum CallDirection {
    INBOUND,
    OUTBOUND
}
