package dev.calleval.redaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts one text by a {@link RedactionPolicy}: finds the values of each type, and replaces them by the type's label
 * or a mask. Types are tried in a fixed order, and a value is taken by the first type that finds it (a later type's
 * overlapping find is dropped): the job's named patterns, then e-mail, IBAN, payment card, SSN, IP address, phone
 * number, participant names. Thread-safe and stateless apart from its policy.
 */
public final class Redactor {
    /** Fewest digits a phone number has (national numbers of most countries have 7 or more). */
    private static final int PHONE_MIN_DIGITS = 7;

    private final RedactionPolicy policy;

    public Redactor(RedactionPolicy policy) {
        this.policy = policy;
    }

    /** The policy this redactor applies. */
    public RedactionPolicy policy() {
        return policy;
    }

    /**
     * A text after redaction.
     *
     * @param text the text with every value found replaced (the same instance when nothing was found)
     * @param counts values replaced per type id
     */
    public record Result(String text, RedactionCounts counts) {}

    /**
     * Redacts {@code text}.
     *
     * @param names the participants' names: with {@code participant-names}, each whole name and each of its words of
     *     two or more letters is found as a word, case-insensitively; ignored otherwise
     */
    public Result redact(String text, Collection<String> names) {
        return redact(text, namePattern(names));
    }

    /**
     * Redacts {@code text}, with the participants' names as made by {@link #namePattern} (made once per call instead of
     * once per text).
     */
    Result redact(String text, Pattern names) {
        if (text.isEmpty()) {
            return new Result(text, RedactionCounts.NONE);
        }
        List<Found> found = new ArrayList<>();
        policy.patterns().forEach((name, pattern) -> {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                if (m.end() > m.start()) {
                    add(found, name, "[" + name.toUpperCase(java.util.Locale.ROOT) + "]", m.start(), m.end());
                }
            }
        });
        int digits = digits(text);
        if (policy.redacts(RedactionType.EMAIL)) {
            addAll(found, RedactionType.EMAIL, Detectors.emails(text));
        }
        if (digits >= 2 && policy.redacts(RedactionType.IBAN)) {
            addAll(found, RedactionType.IBAN, Detectors.ibans(text));
        }
        if (digits >= 12 && policy.redacts(RedactionType.PAYMENT_CARD)) {
            addAll(found, RedactionType.PAYMENT_CARD, Detectors.cards(text));
        }
        if (digits >= 9 && policy.redacts(RedactionType.SSN)) {
            addAll(found, RedactionType.SSN, Detectors.ssns(text));
        }
        if ((digits >= 4 || text.indexOf(':') >= 0) && policy.redacts(RedactionType.IP_ADDRESS)) {
            addAll(found, RedactionType.IP_ADDRESS, Detectors.ips(text));
        }
        if (digits >= PHONE_MIN_DIGITS && policy.redacts(RedactionType.PHONE)) {
            // searched in the text with what was found already blanked out (same offsets): a card's digits are not searched again
            List<Detectors.Span> phones = new ArrayList<>(Detectors.phones(blanked(text, found), policy.phoneRegions()));
            phones.sort(Comparator.comparingInt((Detectors.Span s) -> s.start() - s.end()).thenComparingInt(Detectors.Span::start)); // longest first
            addAll(found, RedactionType.PHONE, phones);
        }
        if (policy.redacts(RedactionType.PARTICIPANT_NAMES) && names != NO_NAMES) {
            Matcher m = names.matcher(text);
            while (m.find()) {
                add(found, RedactionType.PARTICIPANT_NAMES.id(), RedactionType.PARTICIPANT_NAMES.label(), m.start(), m.end());
            }
        }
        if (found.isEmpty()) {
            return new Result(text, RedactionCounts.NONE);
        }
        found.sort(Comparator.comparingInt(Found::start));
        StringBuilder out = new StringBuilder(text.length());
        Map<String, Integer> counts = new LinkedHashMap<>();
        int at = 0;
        for (Found f : found) {
            out.append(text, at, f.start());
            out.append(policy.style() == RedactionPolicy.Style.LABEL ? f.label() : mask(text.substring(f.start(), f.end())));
            at = f.end();
            counts.merge(f.type(), 1, Integer::sum);
        }
        out.append(text, at, text.length());
        return new Result(out.toString(), new RedactionCounts(counts));
    }

    /** The value as a whole replaced, for a field that holds nothing else (a participant's phone number or name). */
    String replaceWhole(String value, RedactionType type) {
        return policy.style() == RedactionPolicy.Style.LABEL ? type.label() : mask(value);
    }

    /** Matches no text: no names to find. */
    static final Pattern NO_NAMES = Pattern.compile("(?!)");

    /**
     * The participants' names as one pattern: each whole name, then each of its words of two or more letters, as whole
     * words, case-insensitively; {@link #NO_NAMES} when there are none.
     */
    static Pattern namePattern(Collection<String> names) {
        Set<String> alternatives = new LinkedHashSet<>();
        for (String name : names) {
            String whole = name.strip().replaceAll("\\s+", " ");
            if (whole.codePoints().filter(Character::isLetter).count() >= 2) {
                alternatives.add(whole);
            }
        }
        for (String name : names) {
            for (String word : name.strip().split("[\\s,]+")) {
                String letters = word.replaceAll("^[^\\p{L}]+|[^\\p{L}]+$", "");
                if (letters.codePoints().filter(Character::isLetter).count() >= 2) {
                    alternatives.add(letters);
                }
            }
        }
        if (alternatives.isEmpty()) {
            return NO_NAMES;
        }
        List<String> ordered = new ArrayList<>(alternatives);
        ordered.sort(Comparator.comparingInt(String::length).reversed()); // the whole name before its words
        StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}])(?:");
        for (int i = 0; i < ordered.size(); i++) {
            regex.append(i == 0 ? "" : "|").append(Pattern.quote(ordered.get(i)).replace(" ", "\\E\\s+\\Q"));
        }
        return Pattern.compile(regex.append(")(?![\\p{L}\\p{N}])").toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    private record Found(int start, int end, String type, String label) {}

    private static void addAll(List<Found> found, RedactionType type, List<Detectors.Span> spans) {
        for (Detectors.Span s : spans) {
            add(found, type.id(), type.label(), s.start(), s.end());
        }
    }

    /** Adds the find unless it overlaps one already taken. */
    private static void add(List<Found> found, String type, String label, int start, int end) {
        for (Found f : found) {
            if (start < f.end() && f.start() < end) {
                return;
            }
        }
        found.add(new Found(start, end, type, label));
    }

    /** {@code text} with each find replaced by as many spaces. */
    private static String blanked(String text, List<Found> found) {
        if (found.isEmpty()) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (Found f : found) {
            java.util.Arrays.fill(chars, f.start(), f.end(), ' ');
        }
        return new String(chars);
    }

    private static int digits(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    /** Each letter and digit as {@code *}, other characters kept. */
    private static String mask(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(Character.isLetterOrDigit(c) ? '*' : c));
        return out.toString();
    }
}
