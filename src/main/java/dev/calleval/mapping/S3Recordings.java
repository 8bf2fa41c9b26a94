package dev.calleval.mapping;

import dev.calleval.s3.S3Settings;
import dev.calleval.s3.S3Storage;
import java.time.Duration;

/**
 * How a job reads {@code s3://} inputs and delivers {@code s3://} recordings (the {@code defaults:} keys
 * {@code recording-url-ttl} and {@code recording-url-too-long}).
 *
 * @param storage the S3 access every S3 input is read through
 * @param presignTtl how long the presigned GET URL sent as {@code recording_url} stays valid (1 s to 7 days);
 *     Bluejay fetches the recording some time after accepting the call, so it must outlive the queue
 * @param urlTooLong what to do when the presigned URL exceeds the API's 2083 characters (temporary credentials
 *     add a long {@code X-Amz-Security-Token})
 */
public record S3Recordings(S3Storage storage, Duration presignTtl, UrlTooLong urlTooLong) {

    /** @throws dev.calleval.s3.S3ConfigurationException when the TTL is not between 1 s and 7 days */
    public S3Recordings {
        S3Settings.checkPresignTtl(presignTtl, "defaults.recording-url-ttl");
    }

    /** What to do with a presigned recording URL over 2083 characters. */
    public enum UrlTooLong {
        /** Reject the call, saying why (the default). */
        REJECT,
        /** Send the recording inline as {@code recording_base64}, streamed from S3, within the size cap. */
        BASE64
    }
}
