package dev.calleval.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignatureVerifierTests {

    private static final String SECRET = "whsec-northwind-7f3a";
    private static final byte[] BODY = "{\"type\":\"observability_call_evaluated\",\"id\":\"5c5a2d43\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final SignatureVerifier verifier = new SignatureVerifier(SECRET);

    @Test
    void signsWithTheWellKnownHmacSha256Vector() {
        byte[] message = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);

        assertThat(new SignatureVerifier("key").sign(message))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")
                .isEqualTo(hmac("key", message));
    }

    @Test
    void acceptsTheLowercaseHexHmacOfTheBody() {
        String expected = hmac(SECRET, BODY);

        assertThat(verifier.sign(BODY)).isEqualTo(expected);
        assertThat(verifier.verify(BODY, expected)).isTrue();
    }

    @Test
    void acceptsSha256PrefixUppercaseHexAndSurroundingSpaces() {
        String expected = hmac(SECRET, BODY);

        assertThat(verifier.verify(BODY, "sha256=" + expected)).isTrue();
        assertThat(verifier.verify(BODY, "SHA256=" + expected)).isTrue();
        assertThat(verifier.verify(BODY, expected.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(verifier.verify(BODY, "sha256=" + expected.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(verifier.verify(BODY, "  " + expected + " ")).isTrue();
    }

    @Test
    void rejectsSignatureOverADifferentBody() {
        byte[] other = "{\"type\":\"observability_call_evaluated\",\"id\":\"5c5a2d44\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.verify(BODY, hmac(SECRET, other))).isFalse();
        assertThat(verifier.verify(other, hmac(SECRET, BODY))).isFalse();
    }

    @Test
    void rejectsSignatureMadeWithAnotherSecret() {
        assertThat(verifier.verify(BODY, hmac("another-secret", BODY))).isFalse();
    }

    @Test
    void rejectsTruncatedOrGarbledSignature() {
        String expected = hmac(SECRET, BODY);

        assertThat(verifier.verify(BODY, expected.substring(0, 63))).isFalse();
        assertThat(verifier.verify(BODY, expected + "0")).isFalse();
        assertThat(verifier.verify(BODY, "sha256=")).isFalse();
        assertThat(verifier.verify(BODY, "sha1=" + expected)).isFalse();
    }

    @Test
    void rejectsMissingOrBlankSignature() {
        assertThat(verifier.verify(BODY, null)).isFalse();
        assertThat(verifier.verify(BODY, "")).isFalse();
        assertThat(verifier.verify(BODY, "   ")).isFalse();
    }

    @Test
    void refusesABlankSecret() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SignatureVerifier("  "))
                .withMessageContaining("BLUEJAY_WEBHOOK_SECRET");
    }

    @Test
    void neverShowsTheSecret() {
        assertThat(verifier.toString()).doesNotContain(SECRET).contains("****");
    }

    /** HMAC-SHA256 computed here with javax.crypto, independently of the class under test. */
    private static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void duringARotationAcceptsEitherSecretAndSaysWhich() {
        SignatureVerifier rotating = new SignatureVerifier(SECRET, "whsec-previous-11aa");

        assertThat(rotating.check(BODY, hmac(SECRET, BODY))).isEqualTo(SignatureVerifier.Match.CURRENT);
        assertThat(rotating.check(BODY, "sha256=" + hmac("whsec-previous-11aa", BODY))).isEqualTo(SignatureVerifier.Match.PREVIOUS);
        assertThat(rotating.check(BODY, hmac("whsec-third-22bb", BODY))).isEqualTo(SignatureVerifier.Match.NONE);
        assertThat(rotating.verify(BODY, hmac("whsec-previous-11aa", BODY))).isTrue();
        assertThat(rotating.sign(BODY)).as("signs with the current secret").isEqualTo(hmac(SECRET, BODY));
        assertThat(verifier.check(BODY, hmac("whsec-previous-11aa", BODY))).as("without a previous secret").isEqualTo(SignatureVerifier.Match.NONE);
    }

    @Test
    void neverShowsEitherSecret() {
        assertThat(new SignatureVerifier(SECRET, "whsec-previous-11aa").toString()).isEqualTo("SignatureVerifier[secret=****, previous=****]")
                .doesNotContain(SECRET).doesNotContain("11aa");
    }
}
