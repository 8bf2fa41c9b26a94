package dev.calleval.job;

import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.submission.InDoubtLookup;
import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One pipeline, as written in a job file ({@code jobs/<name>.yaml}). Keys are kebab-case; durations take units
 * ({@code 500ms}, {@code 30s}, {@code 2h}); sizes too ({@code 50MB}). See the README's "Job file" section.
 *
 * @param name the job's name: reports go to {@code reports/<name>/<execution id>/}
 * @param file the job file itself (set by the loader); relative paths in it resolve against its folder
 */
public record JobDefinition(
        String name,
        @Nullable String description,
        Source source,
        @DefaultValue Defaults defaults,
        @DefaultValue Submit submit,
        @DefaultValue Results results,
        @DefaultValue Report report,
        @Nullable Path file) {

    public JobDefinition {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("name must be 1-100 letters, digits, '.', '_' or '-', got: " + name);
        }
        if (source == null) {
            throw new IllegalArgumentException("source is required (source.type and source.location)");
        }
    }

    JobDefinition withFile(Path file) {
        return new JobDefinition(name, description, source, defaults, submit, results, report, file);
    }

    /**
     * Where the calls come from.
     *
     * @param type {@code manifest}: a CSV manifest
     * @param location the manifest path, relative to the job file's folder, or absolute
     * @param columns logical column → header name in this manifest, for headers that differ from the defaults
     */
    public record Source(@DefaultValue("manifest") String type, String location, @DefaultValue Map<String, String> columns) {
        public Source {
            if (!"manifest".equals(type)) {
                throw new IllegalArgumentException("source.type must be 'manifest', got '" + type + "'");
            }
            if (location == null || location.isBlank()) {
                throw new IllegalArgumentException("source.location is required: the path of the CSV manifest");
            }
        }
    }

    /**
     * Values applied to every call unless its row sets its own; tags, custom metrics and metadata are added.
     *
     * @param maxRecordingSize largest local recording sent inline as {@code recording_base64}
     */
    public record Defaults(
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
            @DefaultValue("50MB") DataSize maxRecordingSize) {}

    /**
     * How requests are sent.
     *
     * @param rateLimit requests per second to Bluejay, all threads together (0 = unlimited)
     * @param maxInFlight requests in flight at once
     * @param chunkSize rows per chunk transaction (the restart granularity)
     */
    public record Submit(
            @DefaultValue("20") double rateLimit,
            @DefaultValue("16") int maxInFlight,
            @DefaultValue("100") int chunkSize,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration requestTimeout,
            @DefaultValue Retry retry,
            @DefaultValue InDoubt inDoubt) {
        public Submit {
            if (maxInFlight < 1 || maxInFlight > 1024) {
                throw new IllegalArgumentException("submit.max-in-flight must be 1..1024, got " + maxInFlight);
            }
            if (chunkSize < 1 || chunkSize > 10_000) {
                throw new IllegalArgumentException("submit.chunk-size must be 1..10000, got " + chunkSize);
            }
        }
    }

    /**
     * Settling an evaluate request that failed ambiguously (the call may exist): after {@code lookup-delay}, up to
     * {@code max-pages} pages of the agent's recent calls are searched for it (0 = never look: it stays in doubt).
     */
    public record InDoubt(@DefaultValue("2s") Duration lookupDelay, @DefaultValue("10") int maxPages) {
        InDoubtLookup lookup() {
            return new InDoubtLookup(lookupDelay, maxPages);
        }
    }

    /** Retry of transient failures (408, 429, 5xx, timeouts, resets); {@code max-attempts} counts the first. */
    public record Retry(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff,
            @DefaultValue("2m") Duration maxRetryAfter) {
        BluejayClientSettings.RetrySettings settings() {
            return new BluejayClientSettings.RetrySettings(maxAttempts, initialBackoff, maxBackoff, maxRetryAfter);
        }
    }

    /**
     * Waiting for results.
     *
     * @param window a submitted call without a result after this long is OVERDUE (still matched if one arrives)
     * @param pollAfter a call without a webhook this long after submission is polled with retrieve-call-log
     * @param pollInterval pause between polling rounds while a run waits for results
     */
    public record Results(
            @DefaultValue("6h") Duration window,
            @DefaultValue("5m") Duration pollAfter,
            @DefaultValue("10s") Duration pollInterval) {}

    /** Where reports are written: {@code <directory>/<job>/<execution id>/}, relative to the working directory. */
    public record Report(@DefaultValue("reports") String directory) {}

    /** The manifest location resolved against the job file's folder. */
    public Path manifestPath() {
        Path p = Path.of(source.location());
        return p.isAbsolute() || file == null ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
    }
}
