package dev.calleval.sandbox;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parsers for the string formats of the evaluate body, each returning Pydantic v2's error type and reason where
 * Pydantic would reject the input: {@code HttpUrl} (WHATWG-style parsing as in pydantic-core, reduced to the
 * checks that matter for a recording or transcript URL) and {@code UUID} (the Rust {@code uuid} crate's accepted
 * forms and messages); {@code datetime} in lax mode is {@link PydanticDatetimes}'s.
 */
final class PydanticFormats {

    /** The {@code maxLength} of {@code recording_url} / {@code transcript_url}, i.e. Pydantic's {@code HttpUrl}. */
    static final int MAX_URL_LENGTH = 2083;

    private static final Set<String> SPECIAL_SCHEMES = Set.of("http", "https", "ws", "wss", "ftp", "file");
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.\\-]*):");

    private PydanticFormats() {}

    /** A parse failure: Pydantic's error {@code type} and the reason it puts into {@code ctx.error}. */
    record Failure(String type, String reason) {}

    /** Either a value or a failure. */
    record Parsed<T>(@Nullable T value, @Nullable Failure failure) {
        static <T> Parsed<T> ok(T value) {
            return new Parsed<>(value, null);
        }

        static <T> Parsed<T> fail(String type, String reason) {
            return new Parsed<>(null, new Failure(type, reason));
        }
    }

    // ---------------------------------------------------------------------------------------------- HttpUrl

    /**
     * Checks a string as Pydantic's {@code HttpUrl} does, in its order: length in UTF-8 bytes
     * ({@code url_too_long}), syntax ({@code url_parsing}), then scheme ({@code url_scheme}).
     *
     * @return the input unchanged when valid
     */
    static Parsed<String> httpUrl(String input) {
        if (input.getBytes(StandardCharsets.UTF_8).length > MAX_URL_LENGTH) {
            return Parsed.fail("url_too_long", String.valueOf(MAX_URL_LENGTH));
        }
        String s = stripC0AndSpace(input).replace("\t", "").replace("\n", "").replace("\r", "");
        if (s.isEmpty()) {
            return Parsed.fail("url_parsing", "input is empty");
        }
        var schemeMatch = SCHEME.matcher(s);
        if (!schemeMatch.find()) {
            return Parsed.fail("url_parsing", "relative URL without a base");
        }
        String scheme = schemeMatch.group(1).toLowerCase(Locale.ROOT);
        if (SPECIAL_SCHEMES.contains(scheme) && !scheme.equals("file")) {
            String problem = authorityProblem(s.substring(schemeMatch.end()));
            if (problem != null) {
                return Parsed.fail("url_parsing", problem);
            }
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Parsed.fail("url_scheme", "'http' or 'https'");
        }
        return Parsed.ok(input);
    }

    private static String stripC0AndSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) <= ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    private static @Nullable String authorityProblem(String afterScheme) {
        int i = 0;
        while (i < afterScheme.length() && (afterScheme.charAt(i) == '/' || afterScheme.charAt(i) == '\\')) {
            i++;
        }
        int end = i;
        while (end < afterScheme.length() && "/\\?#".indexOf(afterScheme.charAt(end)) < 0) {
            end++;
        }
        String authority = afterScheme.substring(i, end);
        int at = authority.lastIndexOf('@');
        String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                return "invalid IPv6 address";
            }
            host = hostPort.substring(0, close + 1);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return "invalid IPv6 address";
            }
            port = rest.isEmpty() ? "" : rest.substring(1);
            if (!host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+")) {
                return "invalid IPv6 address";
            }
        } else {
            int colon = hostPort.indexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
            port = colon >= 0 ? hostPort.substring(colon + 1) : "";
        }
        if (host.isEmpty()) {
            return "empty host";
        }
        if (!port.isEmpty() && (!port.chars().allMatch(c -> c >= '0' && c <= '9')
                || new BigInteger(port).compareTo(BigInteger.valueOf(65535)) > 0)) {
            return "invalid port number";
        }
        if (!host.startsWith("[")) {
            for (int k = 0; k < host.length(); k++) {
                char c = host.charAt(k);
                if (c < 0x21 || c == 0x7f || " #%/:<>?@[\\]^|".indexOf(c) >= 0) {
                    return "invalid domain character";
                }
            }
            if (!isValidIpv4IfNumeric(host)) {
                return "invalid IPv4 address";
            }
        }
        return null;
    }

    /** WHATWG: a host whose last label is numeric must be a valid IPv4 address. */
    private static boolean isValidIpv4IfNumeric(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] labels = h.split("\\.", -1);
        String last = labels[labels.length - 1];
        if (last.isEmpty() || !last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        if (labels.length > 4) {
            return false;
        }
        for (int k = 0; k < labels.length; k++) {
            String label = labels[k];
            if (label.isEmpty() || !label.chars().allMatch(c -> c >= '0' && c <= '9') || label.length() > 12) {
                return false;
            }
            long value = Long.parseLong(label);
            long max = k < labels.length - 1 ? 255 : (1L << (8 * (5 - labels.length))) - 1;
            if (value > max) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------- UUID

    /**
     * Parses a UUID in any form the Rust {@code uuid} crate accepts (hyphenated, 32 hex digits, braced,
     * {@code urn:uuid:}), returning the lowercase hyphenated form, or a {@code uuid_parsing} failure with that
     * crate's message.
     */
    static Parsed<String> uuid(String input) {
        String s = input;
        int offset = 0;
        if (s.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
            s = s.substring(9);
            offset = 9;
        } else if (s.startsWith("{") && s.endsWith("}") && s.length() >= 2) {
            s = s.substring(1, s.length() - 1);
            offset = 1;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.digit(c, 16) < 0 && c != '-') {
                return Parsed.fail("uuid_parsing", "invalid character: expected an optional prefix of `urn:uuid:`"
                        + " followed by [0-9a-fA-F-], found `" + c + "` at " + (k + 1 + offset));
            }
        }
        String[] groups = s.split("-", -1);
        if (groups.length == 1) {
            if (s.length() != 32) {
                return Parsed.fail("uuid_parsing",
                        "invalid length: expected length 32 for simple format, found " + s.length());
            }
            s = s.substring(0, 8) + "-" + s.substring(8, 12) + "-" + s.substring(12, 16) + "-"
                    + s.substring(16, 20) + "-" + s.substring(20);
        } else {
            if (groups.length != 5) {
                return Parsed.fail("uuid_parsing", "invalid group count: expected 5, found " + groups.length);
            }
            int[] expected = {8, 4, 4, 4, 12};
            for (int g = 0; g < 5; g++) {
                if (groups[g].length() != expected[g]) {
                    return Parsed.fail("uuid_parsing", "invalid group length in group " + g + ": expected "
                            + expected[g] + ", found " + groups[g].length());
                }
            }
        }
        return Parsed.ok(s.toLowerCase(Locale.ROOT));
    }
}
