package dev.calleval.jobfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.calleval.redaction.RedactionPolicy;
import dev.calleval.redaction.RedactionType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code redaction:} section: defaults, and every bad key or value refused in one line naming it. */
class RedactionSectionTests {
    @TempDir
    Path dir;

    private Path file(String redaction) throws IOException {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "name: x\nsource:\n  location: calls.csv\n" + redaction);
        return file;
    }

    private static JobDefinition.Evaluate load(Path file) {
        return (JobDefinition.Evaluate) JobDefinitions.loadFile(file);
    }

    @Test
    void redactionIsOffUnlessEnabled() throws IOException {
        assertThat(load(file("")).redaction().policy()).isNull();
        assertThat(load(file("redaction:\n  style: mask\n")).redaction().policy()).isNull();
    }

    @Test
    void enabledRedactsEveryTypeAsLabelsAndOmitsTheRecording() throws IOException {
        RedactionPolicy policy = load(file("redaction:\n  enabled: true\n")).redaction().policy();

        assertThat(policy.types()).containsExactlyInAnyOrder(RedactionType.values());
        assertThat(policy.style()).isEqualTo(RedactionPolicy.Style.LABEL);
        assertThat(policy.keepRecording()).isFalse();
        assertThat(policy.phoneRegions()).containsExactly("US", "GB", "DE", "FR", "IN", "BR", "AU");
    }

    @Test
    void theIssuesExampleLoads() throws IOException {
        RedactionPolicy policy = load(file("""
                redaction:
                  enabled: true
                  types: [email, phone, payment-card, ssn, iban, ip-address, participant-names]
                  patterns: {account-number: 'ACC-\\d{8}'}
                  style: mask
                  recording: keep
                  phone-regions: [us, es]
                """)).redaction().policy();

        assertThat(policy.patterns()).containsOnlyKeys("account-number");
        assertThat(policy.patterns().get("account-number").matcher("ACC-12345678").matches()).isTrue();
        assertThat(policy.style()).isEqualTo(RedactionPolicy.Style.MASK);
        assertThat(policy.keepRecording()).isTrue();
        assertThat(policy.phoneRegions()).containsExactly("US", "ES");
    }

    @Test
    void anUnknownTypeIsOneLineNamingTheKey() throws IOException {
        Path file = file("redaction:\n  enabled: true\n  types: [email, phon]\n");

        assertThatThrownBy(() -> load(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("redaction.types: unknown type 'phon'; use email, phone, payment-card")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anInvalidPatternIsOneLineNamingThePattern() throws IOException {
        Path file = file("redaction:\n  enabled: true\n  patterns: {account-number: 'ACC-\\d{8'}\n");

        assertThatThrownBy(() -> load(file)).isInstanceOf(JobFileException.class)
                .hasMessageContaining("redaction.patterns.account-number: 'ACC-\\d{8' is not a valid regular expression")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aPatternMatchingNothingIsRefused() throws IOException {
        Path file = file("redaction:\n  enabled: true\n  patterns: {anything: '.*'}\n");

        assertThatThrownBy(() -> load(file)).hasMessageContaining("redaction.patterns.anything: '.*' matches the empty text");
    }

    @Test
    void badStyleRecordingRegionAndKeyAreRefusedNamingThem() throws IOException {
        assertThatThrownBy(() -> load(file("redaction:\n  enabled: true\n  style: blur\n")))
                .hasMessageContaining(":6: redaction.style: \"blur\" is not one of label, mask");
        assertThatThrownBy(() -> load(file("redaction:\n  enabled: true\n  recording: drop\n")))
                .hasMessageContaining("redaction.recording: \"drop\" is not one of omit, keep");
        assertThatThrownBy(() -> load(file("redaction:\n  enabled: true\n  phone-regions: [XX]\n")))
                .hasMessageContaining("redaction.phone-regions: 'XX' is not a region");
        assertThatThrownBy(() -> load(file("redaction:\n  enabled: true\n  style-of: label\n")))
                .hasMessageContaining("unknown key 'redaction.style-of'").hasMessageContaining("did you mean 'redaction.style'?");
        assertThatThrownBy(() -> load(file("redaction:\n  enabled: true\n  types: []\n")))
                .hasMessageContaining("redaction.types: name at least one type");
    }
}
