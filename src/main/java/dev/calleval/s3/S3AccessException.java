package dev.calleval.s3;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 request failed: the object or bucket does not exist, access was denied, no credentials were found, or the
 * endpoint could not be reached. The message names the action and the {@code s3://} location and says why in
 * words an operator can act on; it never holds a secret key. The SDK's exception is the cause.
 */
public class S3AccessException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient S3Location location;
    private final int statusCode;

    /**
     * @param location the object or prefix the request was about
     * @param statusCode the HTTP status S3 answered, or 0 when no answer came
     */
    public S3AccessException(String message, S3Location location, int statusCode, Throwable cause) {
        super(message, cause);
        this.location = location;
        this.statusCode = statusCode;
    }

    /**
     * Translates an SDK failure.
     *
     * @param action what was being done, e.g. {@code "cannot read"}
     */
    public static S3AccessException of(String action, S3Location location, SdkException e) {
        String prefix = action + " " + location + ": ";
        if (e instanceof NoSuchKeyException) {
            return new S3AccessException(prefix + "no such object (404 NoSuchKey)", location, 404, e);
        }
        if (e instanceof NoSuchBucketException) {
            return new S3AccessException(prefix + "no such bucket '" + location.bucket() + "' (404 NoSuchBucket)", location, 404, e);
        }
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            String reason = switch (s3.statusCode()) {
                case 403 -> "access denied";
                case 404 -> "not found";
                case 301 -> "the bucket is in another region (set AWS_REGION or calleval.s3.region)";
                case 412 -> "the object was replaced since it was first read (its ETag changed)";
                default -> "S3 answered an error";
            };
            return new S3AccessException(prefix + reason + " (" + s3.statusCode() + (code == null ? "" : " " + code) + ")",
                    location, s3.statusCode(), e);
        }
        if (e instanceof SdkClientException) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("credentials")) {
                return new S3AccessException(prefix + "no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                        + "AWS_PROFILE, or run with a role)", location, 0, e);
            }
            return new S3AccessException(prefix + "S3 could not be reached: " + firstLine(message), location, 0, e);
        }
        return new S3AccessException(prefix + firstLine(String.valueOf(e.getMessage())), location, 0, e);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** The object or prefix the failed request was about. */
    public S3Location location() {
        return location;
    }

    /** The HTTP status S3 answered (404 for a missing object or bucket, 403 denied...), or 0 when none came. */
    public int statusCode() {
        return statusCode;
    }

    /** Why it failed, without the action and location (e.g. {@code no such object (404 NoSuchKey)}). */
    public String reason() {
        String message = String.valueOf(getMessage());
        String marker = location + ": ";
        int at = message.indexOf(marker);
        return at < 0 ? message : message.substring(at + marker.length());
    }

    /** True when the object or bucket does not exist. */
    public boolean notFound() {
        return statusCode == 404;
    }
}
