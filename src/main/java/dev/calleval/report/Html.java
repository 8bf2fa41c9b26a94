package dev.calleval.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Escaping and number formatting for {@code report.html}. Every text that reaches the page goes through {@link #esc}. */
final class Html {
    private Html() {}

    /**
     * The text escaped for HTML element content and double- or single-quoted attribute values: {@code & < > " '}
     * become entities, and control characters other than tab and newline are dropped. Null becomes "".
     */
    static String esc(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 && c != 0x7f || c == '\n' || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A number with at most {@code decimals} decimals, trailing zeros removed ("1.5", "12", "0.333"). */
    static String num(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        BigDecimal d = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** {@code part / whole} as a percentage with one decimal ("87.5 %"), or "–" when {@code whole} is 0. */
    static String percent(long part, long whole) {
        return whole == 0 ? "–" : num(100.0 * part / whole, 1) + " %";
    }

    /** A count with thousands separators ("1,000,000"). */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * The {@code href} of a link from a page in {@code pageDirectory} to a local file: a relative, percent-encoded
     * path when the file is on the same root, else an absolute {@code file:} URI. Not yet HTML-escaped.
     */
    static String fileHref(Path pageDirectory, Path file) {
        Path target = file.toAbsolutePath().normalize();
        Path base = pageDirectory.toAbsolutePath().normalize();
        try {
            if (base.getRoot() != null && base.getRoot().equals(target.getRoot())) {
                String relative = base.relativize(target).toString().replace('\\', '/');
                return new URI(null, null, relative, null).getRawPath();
            }
        } catch (IllegalArgumentException | URISyntaxException e) {
            // fall through to the absolute URI
        }
        return target.toUri().toASCIIString();
    }

    /**
     * A web link that may be put in the page: an {@code http(s)} URL without query string or fragment (a presigned
     * URL's query is a credential and is never copied into a report). Null when the text is not such a URL.
     */
    static @Nullable String webHref(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && uri.getHost() != null && uri.getRawUserInfo() == null) {
                return uri.toASCIIString();
            }
        } catch (URISyntaxException e) {
            return null;
        }
        return null;
    }

    /** The URL as shown in the page: without query string, user info or fragment, marked when they were removed. */
    static String shownUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString() + " (query not shown)";
        } catch (URISyntaxException e) {
            int cut = url.indexOf('?');
            return cut < 0 ? url : url.substring(0, cut) + " (query not shown)";
        }
    }
}
