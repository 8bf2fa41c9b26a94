package dev.calleval.database;

/** Fitting values into the state store's bounded text columns. */
public final class Columns {

    private Columns() {
    }

    /**
     * Text cut to fit a column of {@code max} characters: unchanged when it fits, else its first {@code max - 1}
     * characters and "…".
     */
    public static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
