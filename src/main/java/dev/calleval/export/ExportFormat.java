package dev.calleval.export;

import java.util.Locale;

/** The two formats of {@code calleval export}: CSV (one column per field and per custom metric) and JSON Lines. */
public enum ExportFormat {
    CSV("csv", "text/csv; charset=utf-8"),
    JSONL("jsonl", "application/x-ndjson; charset=utf-8");

    private final String extension;
    private final String contentType;

    ExportFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The file name extension, without the dot: {@code csv} or {@code jsonl}. */
    public String extension() {
        return extension;
    }

    /** The {@code Content-Type} of an S3 object in this format. */
    public String contentType() {
        return contentType;
    }

    /**
     * The format named {@code csv} or {@code jsonl} (any case).
     *
     * @throws IllegalArgumentException naming the text and the formats when it is neither
     */
    public static ExportFormat parse(String text) {
        for (ExportFormat f : values()) {
            if (f.extension.equalsIgnoreCase(text.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown --format '" + text + "'; use csv or jsonl");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
