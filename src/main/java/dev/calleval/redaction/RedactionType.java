package dev.calleval.redaction;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of personal data calleval finds, by the id a job file names them with ({@code redaction.types}) and the
 * label that replaces them ({@code style: label}). How each is found: docs/redaction.md.
 */
public enum RedactionType {
    /** E-mail addresses, checked with Commons Validator's {@code EmailValidator} (known top-level domain). */
    EMAIL("email", "[EMAIL]"),
    /** Phone numbers, found by libphonenumber's {@code PhoneNumberUtil.findNumbers} (leniency VALID). */
    PHONE("phone", "[PHONE]"),
    /** Payment card numbers: issuer range, length and Luhn check digit (Commons Validator's {@code CreditCardValidator}). */
    PAYMENT_CARD("payment-card", "[PAYMENT-CARD]"),
    /** US social security numbers written {@code 123-45-6789} or {@code 123 45 6789} (or 9 digits after "SSN"). */
    SSN("ssn", "[SSN]"),
    /** IBANs: country length, format and mod-97 check (Commons Validator's {@code IBANValidator}). */
    IBAN("iban", "[IBAN]"),
    /** IPv4 and IPv6 addresses (Commons Validator's {@code InetAddressValidator}). */
    IP_ADDRESS("ip-address", "[IP-ADDRESS]"),
    /** The participants' names: the name fields themselves, and the names (whole and each word) in every text. */
    PARTICIPANT_NAMES("participant-names", "[NAME]");

    private final String id;
    private final String label;

    RedactionType(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The id a job file uses, e.g. {@code payment-card}. */
    public String id() {
        return id;
    }

    /** What replaces a value with {@code style: label}, e.g. {@code [PHONE]}. */
    public String label() {
        return label;
    }

    /** Every id, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(RedactionType::id).toList();
    }

    /**
     * The type of an id as a job file writes it (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known ids
     */
    public static RedactionType of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (RedactionType t : values()) {
            if (t.id.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown type '" + id + "'; use " + String.join(", ", ids()));
    }
}
