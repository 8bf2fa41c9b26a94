package dev.calleval.jobfile;

import dev.calleval.s3.S3Location;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the calls come from.
 *
 * @param type {@code manifest}: a CSV manifest; {@code s3-prefix}: every call group under an S3 prefix
 * @param location the manifest path, relative to the job file's folder, or absolute; or an S3 object
 *     {@code s3://bucket/key} (read streaming; the paths in it resolve against its prefix); for {@code s3-prefix} an
 *     {@code s3://bucket/prefix/} that may hold a date template {@code {date:yyyy/MM/dd}} (any
 *     {@link java.time.format.DateTimeFormatter} pattern; {@code {date}} is {@code yyyy-MM-dd})
 * @param columns logical column → header name in this manifest, for headers that differ from the defaults
 * @param zone {@code s3-prefix}: the time zone whose yesterday is the default {@code date} (default UTC)
 * @param date {@code s3-prefix}: the date filled into the template ({@code yyyy-MM-dd}); normally left out of the
 *     file and given as a job parameter ({@code --date}); null until {@link JobDefinition#withParameters} fixes it
 * @param pageSize {@code s3-prefix}: keys per ListObjectsV2 page (1-1000)
 */
public record SourceSettings(@DefaultValue("manifest") String type, String location, @DefaultValue Map<String, String> columns,
        @DefaultValue("UTC") String zone, @Nullable String date, @DefaultValue("1000") int pageSize) {
    /** The {@code source.type} of an S3 prefix scan. */
    public static final String S3_PREFIX = "s3-prefix";

    public SourceSettings {
        if (!"manifest".equals(type) && !S3_PREFIX.equals(type)) {
            throw new IllegalArgumentException("source.type must be 'manifest' or 's3-prefix', got '" + type + "'");
        }
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("source.location is required: the path of the CSV manifest"
                    + " (or, for source.type s3-prefix, s3://bucket/prefix/)");
        }
        if (S3_PREFIX.equals(type)) {
            if (!dev.calleval.s3.S3Location.isS3(location)) {
                throw new IllegalArgumentException("source.location of an s3-prefix source must be s3://bucket/prefix/, got '" + location + "'");
            }
            try {
                java.time.ZoneId.of(zone);
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("source.zone '" + zone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
            }
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("source.page-size must be 1..1000, got " + pageSize);
            }
            if (date != null) {
                dev.calleval.source.PrefixTemplate.parseDate(date);
            }
        }
        if (!S3_PREFIX.equals(type) && S3Location.isS3(location)) {
            S3Location object = S3Location.parse(location.strip());
            if (object.key().isEmpty() || object.key().endsWith("/")) {
                throw new IllegalArgumentException("source.location '" + location + "' is an S3 prefix; a manifest is one object, "
                        + "s3://bucket/key.csv");
            }
        }
    }

    /** True for {@code source.type: s3-prefix}. */
    public boolean isS3Prefix() {
        return S3_PREFIX.equals(type);
    }

    /**
     * The location as read: the manifest location, or for {@code s3-prefix} the prefix with its date filled in.
     *
     * @throws IllegalStateException for an s3-prefix source whose template needs a date not yet fixed
     */
    public String resolvedLocation() {
        if (!isS3Prefix()) {
            return location;
        }
        return dev.calleval.source.PrefixTemplate.resolve(location, date == null ? null : dev.calleval.source.PrefixTemplate.parseDate(date)).toString();
    }
}
