package dev.calleval.s3;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How calleval reaches S3, for the whole application ({@code calleval.s3.*} in {@code application.yaml}; each has an
 * environment variable, see docs/s3.md). Credentials come from the AWS SDK's default chain
 * (environment, system properties, profiles, SSO, container and instance roles) unless both static keys are set.
 * Binding never fails: the values are checked by {@link #check()} when S3 is first used.
 *
 * @param region AWS region, e.g. {@code eu-west-1} ({@code AWS_REGION}); blank: the SDK's region chain (profile,
 *     instance metadata), and {@code us-east-1} for an endpoint override when that finds none
 * @param endpoint endpoint override for S3-compatible stores, e.g. {@code http://localhost:9000} for MinIO
 *     ({@code CALLEVAL_S3_ENDPOINT}); blank: AWS's own endpoints
 * @param pathStyle path-style requests ({@code http://host/bucket/key}), which MinIO, Ceph and LocalStack need
 *     ({@code CALLEVAL_S3_PATH_STYLE}); presigned URLs take the same form
 * @param presignTtl default lifetime of presigned GET URLs (recordings), at most 7 days (SigV4's limit); jobs may
 *     set their own ({@code CALLEVAL_S3_PRESIGN_TTL}, default 24h)
 * @param accessKeyId static access key id; blank: the default credential chain. Set together with
 *     {@code secretAccessKey} or not at all
 * @param secretAccessKey static secret key; never logged or printed ({@link #toString} masks it)
 */
@ConfigurationProperties("calleval.s3")
public record S3Settings(
        @DefaultValue("") String region,
        @DefaultValue("") String endpoint,
        @DefaultValue("false") boolean pathStyle,
        @DefaultValue("24h") Duration presignTtl,
        @DefaultValue("") String accessKeyId,
        @DefaultValue("") String secretAccessKey) {

    /** SigV4 presigned URLs live at most 7 days. */
    public static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

    /** Strips the values; never throws: they are checked when S3 is first used ({@link #check()}). */
    public S3Settings {
        region = region == null ? "" : region.strip();
        endpoint = endpoint == null ? "" : endpoint.strip();
        accessKeyId = accessKeyId == null ? "" : accessKeyId.strip();
        secretAccessKey = secretAccessKey == null ? "" : secretAccessKey.strip();
        if (presignTtl == null) {
            presignTtl = Duration.ofHours(24);
        }
    }

    /**
     * Checks the values; called before the S3 client is built, so that a wrong S3 setting never stops a command
     * that does not use S3.
     *
     * @throws S3ConfigurationException when the endpoint is not an absolute http(s) URL, the presign TTL is not
     *     between 1 s and 7 days, or only one of the static keys is set (the message names the setting, never the secret)
     */
    public void check() {
        endpointOverride();
        checkPresignTtl(presignTtl, "calleval.s3.presign-ttl");
        if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
            throw new S3ConfigurationException("calleval.s3.access-key-id and calleval.s3.secret-access-key must be set together"
                    + " (or neither, to use the AWS default credential chain)");
        }
    }

    /** Settings for AWS itself: region from the SDK's chain, default credentials, 24 h presigned URLs. */
    public static S3Settings defaults() {
        return new S3Settings("", "", false, Duration.ofHours(24), "", "");
    }

    /**
     * The endpoint override, or null for AWS's own endpoints.
     *
     * @throws S3ConfigurationException when it is not an absolute http(s) URL
     */
    public @Nullable URI endpointOverride() {
        return endpoint.isEmpty() ? null : endpointUri(endpoint);
    }

    /** True when static keys are configured instead of the default credential chain. */
    public boolean hasStaticCredentials() {
        return !accessKeyId.isEmpty();
    }

    /**
     * Checks a presigned URL lifetime.
     *
     * @param name the setting's name, for the message
     * @throws S3ConfigurationException when it is not between 1 s and 7 days
     */
    public static void checkPresignTtl(Duration ttl, String name) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new S3ConfigurationException(name + " must be between 1s and 7d (SigV4's limit), got " + ttl);
        }
    }

    private static URI endpointUri(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new S3ConfigurationException("calleval.s3.endpoint (CALLEVAL_S3_ENDPOINT) '" + endpoint + "' is not a URL: " + e.getMessage());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new S3ConfigurationException("calleval.s3.endpoint (CALLEVAL_S3_ENDPOINT) '" + endpoint + "' must be an http:// or https:// URL with a host");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "S3Settings[region=" + (region.isEmpty() ? "(SDK chain)" : region)
                + ", endpoint=" + (endpoint.isEmpty() ? "(AWS)" : endpoint)
                + ", pathStyle=" + pathStyle + ", presignTtl=" + presignTtl
                + ", credentials=" + (hasStaticCredentials() ? "static " + accessKeyId + "/****" : "default chain") + "]";
    }
}
