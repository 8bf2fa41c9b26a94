package dev.calleval.s3;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An S3 object or prefix, {@code s3://bucket/key}. The key is kept exactly as written (S3 keys are opaque strings;
 * no URL decoding); it may be empty ({@code s3://bucket} or {@code s3://bucket/}: the whole bucket) or end in
 * {@code /} (a prefix).
 *
 * @param bucket the bucket name, never empty, without {@code /}
 * @param key the object key or prefix, possibly empty, never starting with {@code /}
 */
public record S3Location(String bucket, String key) {
    private static final String SCHEME = "s3://";

    /** @throws IllegalArgumentException when the bucket is empty or contains {@code /}, or the key starts with {@code /} */
    public S3Location {
        if (bucket.isEmpty() || bucket.contains("/")) {
            throw new IllegalArgumentException("invalid S3 bucket name '" + bucket + "'");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("invalid S3 key '" + key + "': must not start with '/'");
        }
    }

    /** True when {@code text} is written as an S3 location ({@code s3://...}, scheme case-insensitive). */
    public static boolean isS3(String text) {
        return text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code s3://bucket/key}.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form: another scheme, no bucket,
     *     whitespace around it, or a key starting with {@code /} ({@code s3://bucket//key})
     */
    public static S3Location parse(String text) {
        if (!isS3(text)) {
            throw new IllegalArgumentException("not an S3 location '" + text + "': expected s3://bucket/key");
        }
        if (!text.strip().equals(text)) {
            throw new IllegalArgumentException("not an S3 location '" + text + "': leading or trailing whitespace");
        }
        String rest = text.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("not an S3 location '" + text + "': no bucket (expected s3://bucket/key)");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("not an S3 location '" + text + "': the key must not start with '/'");
        }
        return new S3Location(bucket, key);
    }

    /** The prefix this key lives under: everything up to and including its last {@code /} ({@code ""} at the root). */
    public String parentPrefix() {
        return key.substring(0, key.lastIndexOf('/') + 1);
    }

    /** The last path segment of the key ({@code calls.csv} for {@code s3://b/in/calls.csv}). */
    public String fileName() {
        String trimmed = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /**
     * Resolves a path written relative to this object, as a relative path in a manifest is resolved against the
     * manifest's folder: {@code s3://b/in/calls.csv} resolves {@code rec/1.wav} to {@code s3://b/in/rec/1.wav} and
     * {@code ../rec/1.wav} to {@code s3://b/rec/1.wav}. A path starting with {@code /} is taken from the bucket's
     * root; an {@code s3://} location is returned as it is. {@code .} and {@code ..} segments are removed.
     *
     * @throws IllegalArgumentException when {@code ..} climbs above the bucket's root, or the path is empty
     */
    public S3Location resolve(String relative) {
        if (relative.isEmpty()) {
            throw new IllegalArgumentException("empty path relative to " + this);
        }
        if (isS3(relative)) {
            return parse(relative);
        }
        String joined = relative.startsWith("/") ? relative.substring(1) : parentPrefix() + relative;
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = joined.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals(".") || (part.isEmpty() && !last)) {
                continue;
            }
            if (part.equals("..")) {
                if (segments.isEmpty()) {
                    throw new IllegalArgumentException("'" + relative + "' relative to " + this + " goes above the bucket's root");
                }
                segments.removeLast();
                continue;
            }
            segments.addLast(part);
        }
        return new S3Location(bucket, String.join("/", segments));
    }

    /** The location of {@code name} directly under this location taken as a prefix (a {@code /} is added if missing). */
    public S3Location child(String name) {
        String prefix = key.isEmpty() || key.endsWith("/") ? key : key + "/";
        return new S3Location(bucket, prefix + (name.startsWith("/") ? name.substring(1) : name));
    }

    /** {@code s3://bucket/key}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
