package dev.calleval.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code X-Bluejay-Signature} (§3.2): the lowercase hex HMAC-SHA256 of the raw request body keyed with
 * the webhook's signing secret, optionally prefixed {@code sha256=}, compared in constant time. Bluejay sends no
 * timestamp, so there is no replay window to check; replays are absorbed by the inbox's deduplication.
 *
 * <p>Secret rotation: with a previous secret ({@code BLUEJAY_WEBHOOK_SECRET_PREVIOUS}) a signature made with either
 * secret is accepted, until the previous one is removed. Both are always computed and compared, so the time taken does
 * not tell which one matched. {@link #sign} uses the current secret.
 *
 * <p>{@link #toString()} never shows a secret. Thread-safe.
 */
final class SignatureVerifier {
    /** Which secret a signature was made with. */
    public enum Match {
        /** The current secret ({@code BLUEJAY_WEBHOOK_SECRET}). */
        CURRENT,
        /** The previous secret ({@code BLUEJAY_WEBHOOK_SECRET_PREVIOUS}): the sender has not switched yet. */
        PREVIOUS,
        /** Neither: missing, malformed or wrong. */
        NONE
    }

    private final byte[] secret;
    private final byte @Nullable [] previous;

    /** A verifier of one secret. */
    public SignatureVerifier(String secret) {
        this(secret, null);
    }

    /**
     * A verifier that accepts signatures of {@code secret} and, during a rotation, of {@code previousSecret}.
     *
     * @throws IllegalArgumentException when a secret is blank
     */
    public SignatureVerifier(String secret, @Nullable String previousSecret) {
        if (secret.isBlank()) {
            throw new IllegalArgumentException("BLUEJAY_WEBHOOK_SECRET is set but empty");
        }
        if (previousSecret != null && previousSecret.isBlank()) {
            throw new IllegalArgumentException("BLUEJAY_WEBHOOK_SECRET_PREVIOUS is set but empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.previous = previousSecret == null ? null : previousSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** The hex signature of {@code body} with the current secret. */
    public String sign(byte[] body) {
        return sign(secret, body);
    }

    private static String sign(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** @return true when {@code header} is the signature of exactly {@code body} with the current or the previous secret */
    public boolean verify(byte[] body, @Nullable String header) {
        return check(body, header) != Match.NONE;
    }

    /** Which secret {@code header} is the signature of {@code body} with, or {@link Match#NONE}. */
    public Match check(byte[] body, @Nullable String header) {
        if (header == null || header.isBlank()) {
            return Match.NONE;
        }
        String given = header.strip();
        if (given.regionMatches(true, 0, "sha256=", 0, 7)) {
            given = given.substring(7);
        }
        byte[] actual = given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        boolean current = MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII), actual);
        boolean old = previous != null && MessageDigest.isEqual(sign(previous, body).getBytes(StandardCharsets.US_ASCII), actual);
        return current ? Match.CURRENT : old ? Match.PREVIOUS : Match.NONE;
    }

    /** Whether a previous secret is still accepted. */
    public boolean rotating() {
        return previous != null;
    }

    @Override
    public String toString() {
        return "SignatureVerifier[secret=****" + (previous == null ? "" : ", previous=****") + "]";
    }
}
