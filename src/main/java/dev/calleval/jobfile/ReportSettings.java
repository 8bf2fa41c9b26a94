package dev.calleval.jobfile;

import dev.calleval.s3.S3Location;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where reports are written: {@code <directory>/<job>/<execution id>/}, relative to the working directory. When
 * {@code directory} is an S3 prefix {@code s3://bucket/prefix}, the report is written locally to
 * {@code <local-directory>/<job>/<execution id>/} and uploaded at the end of the run to
 * {@code s3://bucket/prefix/<job>/<execution id>/}.
 *
 * @param localDirectory where the local copy of an S3 report goes (default {@code reports})
 */
public record ReportSettings(@DefaultValue("reports") String directory, @Nullable String localDirectory) {
    public ReportSettings {
        if (S3Location.isS3(directory)) {
            S3Location.parse(directory.strip()); // fails naming the malformed location
        }
    }

    /** The local directory reports are written to. */
    public Path localPath() {
        if (localDirectory != null && !localDirectory.isBlank()) {
            return Path.of(localDirectory);
        }
        return Path.of(S3Location.isS3(directory) ? "reports" : directory);
    }

    /** The S3 prefix reports are uploaded to, or null when they stay local. */
    public @Nullable S3Location upload() {
        return S3Location.isS3(directory) ? S3Location.parse(directory.strip()) : null;
    }
}
