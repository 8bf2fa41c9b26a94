package dev.calleval.redaction;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a job redacts and how: the {@code redaction:} section of a job file, checked. Immutable.
 *
 * @param types the kinds of personal data to find
 * @param patterns extra named regular expressions (name → pattern), tried before the built-in types; a match is
 *     replaced by the name upper-cased in brackets ({@code account-number} → {@code [ACCOUNT-NUMBER]})
 * @param style how a found value is replaced
 * @param keepRecording false (the default once redaction is on): no recording is sent, since audio is not redacted
 * @param phoneRegions the regions (ISO 3166 alpha-2, e.g. {@code US}, {@code GB}) whose national formats phone numbers
 *     are looked for in; numbers written with {@code +} or an international prefix are found for every country
 */
public record RedactionPolicy(Set<RedactionType> types, Map<String, Pattern> patterns, Style style, boolean keepRecording,
        List<String> phoneRegions) {

    /** The regions whose national phone formats are searched unless a job names its own. */
    public static final List<String> DEFAULT_PHONE_REGIONS = List.of("US", "GB", "DE", "FR", "IN", "BR", "AU");

    private static final Pattern PATTERN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** How a found value is replaced. */
    public enum Style {
        /** By its type's label: {@code [EMAIL]}, {@code [PHONE]}, ... */
        LABEL,
        /** Each letter and digit by {@code *}, other characters kept: the text keeps its length and shape. */
        MASK
    }

    public RedactionPolicy {
        types = Collections.unmodifiableSet(types.isEmpty() ? EnumSet.noneOf(RedactionType.class) : EnumSet.copyOf(types));
        patterns = Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
        phoneRegions = List.copyOf(phoneRegions);
        if (types.isEmpty() && patterns.isEmpty()) {
            throw new IllegalArgumentException("redaction.types: name at least one type (" + String.join(", ", RedactionType.ids())
                    + ") or a pattern");
        }
    }

    /**
     * A policy from a job file's values.
     *
     * @param types type ids ({@link RedactionType#id()})
     * @param patterns name → regular expression (Java syntax)
     * @throws IllegalArgumentException one line naming the key ({@code redaction.types}, {@code redaction.patterns.<name>},
     *     {@code redaction.phone-regions}) and what is wrong: an unknown type, a pattern that does not compile or matches
     *     the empty string, a bad pattern name, an unknown region
     */
    public static RedactionPolicy of(List<String> types, Map<String, String> patterns, Style style, boolean keepRecording,
            List<String> phoneRegions) {
        Set<RedactionType> parsed = EnumSet.noneOf(RedactionType.class);
        for (String id : types) {
            try {
                parsed.add(RedactionType.of(id));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("redaction.types: " + e.getMessage());
            }
        }
        Map<String, Pattern> compiled = new LinkedHashMap<>();
        patterns.forEach((name, regex) -> {
            if (!PATTERN_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("redaction.patterns: '" + name + "' is not a pattern name (lower-case letters, digits "
                        + "and '-', at most 40)");
            }
            if (RedactionType.ids().contains(name)) {
                throw new IllegalArgumentException("redaction.patterns." + name + ": '" + name + "' is a built-in type; list it in "
                        + "redaction.types or name the pattern otherwise");
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("redaction.patterns." + name + ": '" + regex + "' is not a valid regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
            }
            if (pattern.matcher("").matches()) {
                throw new IllegalArgumentException("redaction.patterns." + name + ": '" + regex + "' matches the empty text; it must "
                        + "match at least one character");
            }
            compiled.put(name, pattern);
        });
        Set<String> supported = PhoneNumberUtil.getInstance().getSupportedRegions();
        List<String> regions = new ArrayList<>();
        for (String region : phoneRegions) {
            String upper = region.strip().toUpperCase(Locale.ROOT);
            if (!supported.contains(upper)) {
                throw new IllegalArgumentException("redaction.phone-regions: '" + region + "' is not a region libphonenumber knows; use "
                        + "ISO 3166 two-letter codes such as US, GB, DE");
            }
            if (!regions.contains(upper)) {
                regions.add(upper);
            }
        }
        return new RedactionPolicy(parsed, compiled, style, keepRecording, regions);
    }

    /** Whether {@code type} is redacted. */
    public boolean redacts(RedactionType type) {
        return types.contains(type);
    }
}
