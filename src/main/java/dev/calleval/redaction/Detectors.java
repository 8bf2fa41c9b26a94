package dev.calleval.redaction;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.validator.routines.CodeValidator;
import org.apache.commons.validator.routines.CreditCardValidator;
import org.apache.commons.validator.routines.EmailValidator;
import org.apache.commons.validator.routines.IBANValidator;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * The detectors of the built-in types: each finds the spans of one type in a text. A regular expression only proposes
 * candidates (or, for SSNs, is the whole rule); a library decides: libphonenumber for phone numbers, Commons Validator
 * for cards, IBANs, e-mail and IP addresses. Thread-safe: the validators are immutable.
 */
final class Detectors {
    /** A found value: {@code [start, end)} in the text. */
    record Span(int start, int end) {}

    private static final EmailValidator EMAIL = EmailValidator.getInstance(false, false);
    private static final Pattern EMAIL_CANDIDATE = Pattern.compile(
            "(?<![\\w.%+-])[\\w.%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    /** Issuers with their ranges and lengths, each with the Luhn check: the five of Commons Validator, V Pay, JCB, UnionPay, Maestro. */
    private static final CreditCardValidator CARDS = new CreditCardValidator(
            new CodeValidator[] {CreditCardValidator.AMEX_VALIDATOR, CreditCardValidator.VISA_VALIDATOR, CreditCardValidator.MASTERCARD_VALIDATOR,
                    CreditCardValidator.DISCOVER_VALIDATOR, CreditCardValidator.DINERS_VALIDATOR, CreditCardValidator.VPAY_VALIDATOR},
            new CreditCardValidator.CreditCardRange[] {
                    new CreditCardValidator.CreditCardRange("3528", "3589", 16, 19), // JCB
                    new CreditCardValidator.CreditCardRange("62", "62", 16, 19), // UnionPay
                    new CreditCardValidator.CreditCardRange("50", "50", 16, 19), // Maestro
                    new CreditCardValidator.CreditCardRange("56", "58", 16, 19), // Maestro
                    new CreditCardValidator.CreditCardRange("6759", "6759", 16, 19), // Maestro UK
                    new CreditCardValidator.CreditCardRange("6761", "6763", 16, 19)}); // Maestro
    /** Groups of digits separated by single spaces or dashes, 12 to 19 digits in all. */
    private static final Pattern CARD_CANDIDATE = Pattern.compile("(?<![\\w.,-])\\d+(?:[ -]\\d+)*(?![\\w-]|[.,]\\d)");

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern DIGITS_ONLY = Pattern.compile("[^0-9]");

    private static final IBANValidator IBAN = IBANValidator.getInstance();
    private static final Pattern IBAN_CANDIDATE = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{2}\\d{2}(?: ?[A-Za-z0-9]){8,32}");

    private static final Pattern SSN_FORMATTED = Pattern.compile("(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}([- ])(?!00)\\d{2}\\1(?!0000)\\d{4}(?![\\d-])");
    private static final Pattern SSN_BARE = Pattern.compile("(?<!\\d)(?!000|666|9\\d\\d)\\d{3}(?!00)\\d{2}(?!0000)\\d{4}(?!\\d)");
    private static final Pattern SSN_CONTEXT = Pattern.compile("(?i)(?:\\bssn|social security(?: number)?|social)\\W{0,12}(?:is\\W{1,3}|number\\W{1,3}|#\\W{0,2})?$");

    private static final InetAddressValidator INET = InetAddressValidator.getInstance();
    private static final Pattern IPV4_CANDIDATE = Pattern.compile("(?<![\\w.])\\d{1,3}(?:\\.\\d{1,3}){3}(?!\\.?\\d)(?!\\w)");
    private static final Pattern VERSION_CONTEXT = Pattern.compile("(?i)(?:\\bv|\\bversion\\s?|\\bbuild\\s?|\\brelease\\s?|\\bfirmware\\s?|\\bver\\.?\\s?)$");
    private static final Pattern IPV6_CANDIDATE = Pattern.compile("(?<![\\w:.])[0-9A-Fa-f.]*:[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:%[0-9A-Za-z]+)?(?![\\w:])");

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** A run of at least 7 digits, single separators allowed between them: what every phone number has. */
    private static final Pattern PHONE_SHAPED = Pattern.compile("\\d(?:[\\s().\\-/]{0,2}\\d){6,}");
    /** Words before a bare digit string that make it a phone number. */
    private static final Pattern PHONE_CONTEXT = Pattern.compile("(?i)\\b(?:phone|cell|mobile|call|calling|reach|dial|text|telephone|tel|"
            + "landline|whatsapp|fax|number is|callback)\\b[^.?!]{0,25}$");
    /** Words right before a merely possible number that make it a phone number: "phone number is still", "call me at". */
    private static final Pattern POSSIBLE_CONTEXT = Pattern.compile("(?i)\\b(?:phone|cell|mobile|telephone|tel|fax|landline|whatsapp|"
            + "call me|reach me|text me|call us|reach us)\\b(?:\\s+number)?(?:\\s+is)?(?:\\s+still)?(?:\\s+(?:on|at))?\\W{0,3}$");
    /** The words of {@link #POSSIBLE_CONTEXT} anywhere: merely possible numbers are looked for only in a text that has one. */
    private static final Pattern POSSIBLE_WORD = Pattern.compile("(?i)\\b(?:phone|cell|mobile|telephone|tel|fax|landline|whatsapp|"
            + "call me|reach me|text me|call us|reach us)\\b");
    /** Words before a number that make it a reference rather than a phone number. */
    private static final Pattern REFERENCE_CONTEXT = Pattern.compile("(?i)\\b(?:order|ref|reference|invoice|confirmation|tracking|ticket|case|"
            + "booking|account|policy|transaction|claim|member|membership|customer id|id|serial|sku|item|parcel|shipment|"
            + "receipt|voucher|code|pnr|po)\\b\\W{0,3}(?:number|no|nr|#|num)?\\W{0,3}(?:is\\W{1,3})?$");

    private Detectors() {}

    static List<Span> emails(String text) {
        List<Span> found = new ArrayList<>();
        if (text.indexOf('@') < 0) {
            return found;
        }
        Matcher m = EMAIL_CANDIDATE.matcher(text);
        while (m.find()) {
            if (EMAIL.isValid(m.group())) {
                found.add(new Span(m.start(), m.end()));
            }
        }
        return found;
    }

    /**
     * Card numbers: of each run of digit groups, the longest stretch of whole groups that has an issuer's prefix and
     * length and passes the Luhn check.
     */
    static List<Span> cards(String text) {
        List<Span> found = new ArrayList<>();
        Matcher m = CARD_CANDIDATE.matcher(text);
        while (m.find()) {
            if (m.end() - m.start() < 12) {
                continue;
            }
            List<int[]> groups = new ArrayList<>(); // [start, end) of each digit group
            Matcher g = DIGITS.matcher(text).region(m.start(), m.end());
            while (g.find()) {
                groups.add(new int[] {g.start(), g.end()});
            }
            int total = 0;
            for (int[] group : groups) {
                total += group[1] - group[0];
            }
            if (total <= 19) { // a run of card length is a card as a whole or not at all
                String digits = DIGITS_ONLY.matcher(m.group()).replaceAll("");
                if (digits.length() >= 12 && CARDS.isValid(digits)) {
                    found.add(new Span(m.start(), m.end()));
                }
                continue;
            }
            Span best = null; // longer: a card followed or preceded by other numbers (an expiry date, say)
            for (int i = 0; i < groups.size(); i++) {
                StringBuilder digits = new StringBuilder();
                for (int j = i; j < groups.size() && digits.length() <= 19; j++) {
                    digits.append(text, groups.get(j)[0], groups.get(j)[1]);
                    int n = digits.length();
                    if (n >= 12 && n <= 19 && (best == null || groups.get(j)[1] - groups.get(i)[0] > best.end() - best.start())
                            && CARDS.isValid(digits.toString())) {
                        best = new Span(groups.get(i)[0], groups.get(j)[1]);
                    }
                }
            }
            if (best != null) {
                found.add(best);
            }
        }
        return found;
    }

    /** IBANs, with or without spaces, cut to their country's length and checked (format and mod 97). */
    static List<Span> ibans(String text) {
        List<Span> found = new ArrayList<>();
        Matcher m = IBAN_CANDIDATE.matcher(text);
        int from = 0;
        while (m.find(from)) {
            from = m.start() + 1;
            String country = text.substring(m.start(), m.start() + 2).toUpperCase(Locale.ROOT);
            IBANValidator.Validator validator = IBAN.getValidator(country);
            if (validator == null) {
                continue;
            }
            int length = validator.getIbanLength();
            StringBuilder compact = new StringBuilder(length);
            int end = m.start();
            while (end < m.end() && compact.length() < length) {
                char c = text.charAt(end++);
                if (c != ' ') {
                    compact.append(Character.toUpperCase(c));
                }
            }
            boolean boundary = end >= text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (compact.length() == length && boundary && IBAN.isValid(compact.toString())) {
                found.add(new Span(m.start(), end));
                from = end;
            }
        }
        return found;
    }

    /** SSNs written with dashes or spaces ({@code 123-45-6789}), or 9 digits right after "SSN" / "social security". */
    static List<Span> ssns(String text) {
        List<Span> found = new ArrayList<>();
        Matcher m = SSN_FORMATTED.matcher(text);
        while (m.find()) {
            found.add(new Span(m.start(), m.end()));
        }
        Matcher bare = SSN_BARE.matcher(text);
        while (bare.find()) {
            if (SSN_CONTEXT.matcher(text.substring(Math.max(0, bare.start() - 40), bare.start())).find()) {
                found.add(new Span(bare.start(), bare.end()));
            }
        }
        return found;
    }

    /** IPv4 addresses (not after "version", "v", "build", ...) and IPv6 addresses. */
    static List<Span> ips(String text) {
        List<Span> found = new ArrayList<>();
        Matcher m = IPV4_CANDIDATE.matcher(text);
        while (m.find()) {
            if (INET.isValidInet4Address(m.group()) && !VERSION_CONTEXT.matcher(text.substring(Math.max(0, m.start() - 12), m.start())).find()) {
                found.add(new Span(m.start(), m.end()));
            }
        }
        if (text.indexOf(':') >= 0) {
            Matcher v6 = IPV6_CANDIDATE.matcher(text);
            while (v6.find()) {
                int end = v6.end();
                while (end > v6.start() && text.charAt(end - 1) == '.') {
                    end--;
                }
                String candidate = text.substring(v6.start(), end);
                if (candidate.chars().anyMatch(c -> Character.digit(c, 16) >= 0) && INET.isValidInet6Address(candidate)) {
                    found.add(new Span(v6.start(), end));
                }
            }
        }
        return found;
    }

    /**
     * Phone numbers libphonenumber finds in the national formats of {@code regions}, and international ones in any:
     * with leniency {@code VALID} (valid for its region, grouped as its region groups it, not inside a date, time or
     * longer digit run) by the rules below; with leniency {@code POSSIBLE} (a possible length, e.g. an unassigned area
     * code, a made-up number in a sample call: {@code (444) 814-9913}) only right after a word like "phone" or "call". A valid number
     * written without {@code +} or an international prefix must look like a phone number: grouped (spaces, dashes,
     * dots, parentheses) or starting with its region's trunk prefix, or follow a word like "phone" or "call"; and it
     * is left alone after a word like "order", "invoice" or "reference", or when glued to a code by a dash ({@code ORD-2024-118834}).
     */
    static List<Span> phones(String text, List<String> regions) {
        List<Span> found = new ArrayList<>();
        if (!PHONE_SHAPED.matcher(text).find()) {
            return found; // no run of 7 or more digits (with separators): libphonenumber's costlier search is skipped
        }
        for (String region : regions) {
            for (PhoneNumberMatch match : PHONES.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
                if (accepted(text, match, region)) {
                    found.add(new Span(match.start(), match.end()));
                }
            }
            if (POSSIBLE_WORD.matcher(text).find()) { // the costly second pass only where the words for it are
                for (PhoneNumberMatch match : PHONES.findNumbers(text, region, PhoneNumberUtil.Leniency.POSSIBLE, Long.MAX_VALUE)) {
                    if (!PHONES.isValidNumber(match.number()) && possibleAccepted(text, match)) {
                        found.add(new Span(match.start(), match.end()));
                    }
                }
            }
        }
        return found;
    }

    private static boolean accepted(String text, PhoneNumberMatch match, String region) {
        String raw = match.rawString();
        String digits = raw.replaceAll("[^0-9]", "");
        if (raw.startsWith("+") || raw.startsWith("\uFF0B") || digits.startsWith("00") || digits.startsWith("011")) {
            return true; // international: +44 ..., 0044 ..., 011 44 ...
        }
        if (partOfToken(text, match.start(), match.end())) {
            return false; // ORD-2024-118834, SN-48213-99871
        }
        String before = text.substring(Math.max(0, match.start() - 40), match.start());
        if (REFERENCE_CONTEXT.matcher(before).find()) {
            return false;
        }
        boolean grouped = raw.chars().anyMatch(c -> c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/');
        String trunk = PHONES.getNddPrefixForRegion(region, true);
        boolean withTrunk = trunk != null && !trunk.isEmpty() && digits.startsWith(trunk);
        return grouped || withTrunk || PHONE_CONTEXT.matcher(before).find();
    }

    /**
     * A number of a possible length that is not valid (an unassigned area code, a made-up number in a sample call:
     * {@code (444) 814-9913}) is a phone number only right after a word like "phone" or "call".
     */
    private static boolean possibleAccepted(String text, PhoneNumberMatch match) {
        String before = text.substring(Math.max(0, match.start() - 40), match.start());
        return !partOfToken(text, match.start(), match.end()) && POSSIBLE_CONTEXT.matcher(before).find();
    }

    /** Whether {@code [start, end)} is glued to letters or digits by a dash, slash, underscore or '#' (a code, not a number). */
    private static boolean partOfToken(String text, int start, int end) {
        boolean gluedBefore = start >= 2 && "-_/#".indexOf(text.charAt(start - 1)) >= 0 && Character.isLetterOrDigit(text.charAt(start - 2));
        boolean gluedAfter = end + 1 < text.length() && "-_/#".indexOf(text.charAt(end)) >= 0 && Character.isLetterOrDigit(text.charAt(end + 1));
        return gluedBefore || gluedAfter;
    }
}
