package dev.calleval.jobfile;

import dev.calleval.redaction.RedactionPolicy;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Personal data removed before a call leaves (the {@code redaction:} section of an evaluate or drop-folder job); see
 * docs/redaction.md. Checked when the job file is loaded: an unknown type or region, a pattern that does not compile,
 * is one line naming the key.
 *
 * @param enabled false (default): nothing is redacted and the other keys are not used
 * @param types the kinds of data to replace ({@link dev.calleval.redaction.RedactionType#id()}); default all of them
 * @param patterns extra named regular expressions, e.g. {@code account-number: 'ACC-\d{8}'}
 * @param style {@code label} (default: {@code [PHONE]}, {@code [EMAIL]}, ...) or {@code mask} (same length, letters
 *     and digits as {@code *})
 * @param recording {@code omit} (default: no recording is sent, audio is not redacted) or {@code keep}
 * @param phoneRegions the regions whose national phone formats are searched (ISO 3166 alpha-2); numbers written with
 *     {@code +} are found for every country
 */
public record RedactionSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue({"email", "phone", "payment-card", "ssn", "iban", "ip-address", "participant-names"}) List<String> types,
        @DefaultValue Map<String, String> patterns,
        @DefaultValue("label") RedactionPolicy.Style style,
        @DefaultValue("omit") Recording recording,
        @DefaultValue({"US", "GB", "DE", "FR", "IN", "BR", "AU"}) List<String> phoneRegions) {

    /** What happens to the recording when redaction is on. */
    public enum Recording {
        /** Not sent: the audio holds what the transcript said, unredacted. */
        OMIT,
        /** Sent as it is. */
        KEEP
    }

    public RedactionSettings {
        types = List.copyOf(types);
        patterns = Map.copyOf(patterns);
        phoneRegions = List.copyOf(phoneRegions);
        if (enabled) {
            policy(types, patterns, style, recording, phoneRegions); // fails naming the key
        }
    }

    /** The policy to apply; null when redaction is off. */
    public @Nullable RedactionPolicy policy() {
        return enabled ? policy(types, patterns, style, recording, phoneRegions) : null;
    }

    private static RedactionPolicy policy(List<String> types, Map<String, String> patterns, RedactionPolicy.Style style, Recording recording,
            List<String> phoneRegions) {
        return RedactionPolicy.of(types, patterns, style, recording == Recording.KEEP, phoneRegions);
    }
}
