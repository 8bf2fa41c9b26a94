package dev.calleval.bluejay;

/** {@code interface}: the channel of the call (§1.1). Bluejay's default is {@link #PHONE}. */
public enum CallInterface {
    PHONE,
    WEB
}
