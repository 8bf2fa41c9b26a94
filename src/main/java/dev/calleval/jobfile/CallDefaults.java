package dev.calleval.jobfile;

import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.mapping.S3Recordings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Values applied to every call unless its row sets its own; tags, custom metrics and metadata are added.
 *
 * @param maxRecordingSize largest recording sent inline as {@code recording_base64}
 * @param recordingUrlTtl how long the presigned GET URL of an {@code s3://} recording stays valid (1s to 7d);
 *     null: {@code calleval.s3.presign-ttl} (default 24h)
 * @param recordingUrlTooLong {@code reject} (default) or {@code base64}: what to do when a presigned URL is over
 *     the API's 2083 characters (temporary credentials make it long)
 * @param costPerCall what one evaluated call costs, in whatever unit the operator counts in (no currency is assumed):
 *     {@code run --dry-run} multiplies it by the calls it would send; null: no cost is shown
 */
public record CallDefaults(
        @Nullable String agentId,
        @Nullable String externalAgentId,
        @DefaultValue List<String> tags,
        @DefaultValue List<String> customMetrics,
        @DefaultValue List<String> customMetricTags,
        @Nullable String label,
        @Nullable CallDirection callDirection,
        @Nullable CallInterface callInterface,
        @Nullable Boolean multichannel,
        @DefaultValue Map<String, String> metadata,
        @DefaultValue("50MB") DataSize maxRecordingSize,
        @Nullable Duration recordingUrlTtl,
        @DefaultValue("reject") S3Recordings.UrlTooLong recordingUrlTooLong,
        @Nullable BigDecimal costPerCall) {
    /** @throws IllegalArgumentException when {@code cost-per-call} is negative */
    public CallDefaults {
        if (costPerCall != null && costPerCall.signum() < 0) {
            throw new IllegalArgumentException("defaults.cost-per-call must be 0 or more, got " + costPerCall.toPlainString());
        }
    }
}
