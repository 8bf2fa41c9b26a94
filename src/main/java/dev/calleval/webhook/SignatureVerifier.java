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
 * {@link #toString()} never shows the secret. Thread-safe.
 */
public final class SignatureVerifier {
    private final byte[] secret;

    public SignatureVerifier(String secret) {
        if (secret.isBlank()) {
            throw new IllegalArgumentException("BLUEJAY_WEBHOOK_SECRET is set but empty");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The hex signature of {@code body}. */
    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** @return true when {@code header} is the signature of exactly {@code body} */
    public boolean verify(byte[] body, @Nullable String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        String given = header.strip();
        if (given.regionMatches(true, 0, "sha256=", 0, 7)) {
            given = given.substring(7);
        }
        byte[] expected = sign(body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "SignatureVerifier[secret=****]";
    }
}
