package dev.calleval.jobfile;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code enrich:} section of a job file: where the per-call simulation logs are and whether results left in
 * doubt are posted again. How requests are sent (rate limit, in-flight limit, chunk size, timeouts, retry) comes
 * from the job file's {@code submit:} section.
 *
 * @param location a directory of {@code <simulation_result_id>.json} files, or a CSV manifest with the columns
 *     {@code simulation_result_id,log}; relative to the job file's folder, or absolute
 * @param type {@code directory} or {@code manifest}; null (the default) means a directory when {@code location} is
 *     one, else a manifest
 * @param resendInDoubt post again the results an earlier run left IN_DOUBT (an ambiguous failure: the update may
 *     have been applied). Set it for one run, after checking in Bluejay that those results lack the update
 */
public record EnrichSettings(String location, @Nullable String type, @DefaultValue("false") boolean resendInDoubt) {

    public EnrichSettings {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("enrich.location is required: a directory of <simulation_result_id>.json "
                    + "files or a CSV manifest (simulation_result_id,log)");
        }
        if (type != null) {
            type = type.strip().toLowerCase(Locale.ROOT);
            if (LogSourceType.parse(type) == null) {
                throw new IllegalArgumentException("enrich.type must be 'directory' or 'manifest', got '" + type + "'");
            }
        }
    }

    /** The declared type, or null to decide from the location. */
    public @Nullable LogSourceType sourceType() {
        return type == null ? null : LogSourceType.parse(type);
    }

    /** A copy with {@code resendInDoubt} switched on (the command-line flag). */
    public EnrichSettings withResendInDoubt() {
        return new EnrichSettings(location, type, true);
    }
}
