package dev.calleval.jobfile;

import dev.calleval.s3.S3Location;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code drop-folder:} section of a job file: an S3 inbox prefix where anyone may drop a CSV manifest. Every
 * dropped manifest runs as one evaluate job execution with the job file's {@code defaults:}, {@code submit:},
 * {@code results:}, {@code transcript:} and {@code report:} settings.
 *
 * @param inbox the inbox prefix, {@code s3://bucket/prefix/} (a trailing {@code /} is added when missing)
 * @param processing where a claimed manifest moves while it runs; default: the sibling prefix {@code processing/}
 * @param done where a completed manifest moves, with {@code <name>.report/} beside it; default sibling {@code done/}
 * @param failed where a manifest that could not be parsed or whose run failed moves, with {@code <name>.error.txt}
 *        or {@code <name>.report/} beside it; default sibling {@code failed/}
 * @param pollInterval how often {@code serve} polls the inbox (default 1 minute)
 * @param claimTimeout a claim not finished and not updated for this long is taken over by another poller even when
 *        its owner cannot be proven dead (default 6 hours: longer than any run)
 * @param columns logical column → header name, as in {@code source.columns}
 */
public record DropFolderSettings(String inbox, @Nullable String processing, @Nullable String done, @Nullable String failed,
        @DefaultValue("1m") Duration pollInterval, @DefaultValue("6h") Duration claimTimeout, @DefaultValue Map<String, String> columns) {

    public DropFolderSettings {
        if (inbox == null || !S3Location.isS3(inbox)) {
            throw new IllegalArgumentException("drop-folder.inbox must be an s3://bucket/prefix/ location, got: " + inbox);
        }
        inbox = folder(inbox);
        processing = folder(processing == null ? sibling(inbox, "processing") : processing);
        done = folder(done == null ? sibling(inbox, "done") : done);
        failed = folder(failed == null ? sibling(inbox, "failed") : failed);
        for (String p : new String[] {processing, done, failed}) {
            if (!S3Location.isS3(p) || !S3Location.parse(p).bucket().equals(S3Location.parse(inbox).bucket())) {
                throw new IllegalArgumentException("drop-folder processing/done/failed must be s3:// prefixes in the inbox's bucket, got: " + p);
            }
            if (p.startsWith(inbox) || inbox.startsWith(p)) {
                throw new IllegalArgumentException("drop-folder prefix " + p + " must not overlap the inbox " + inbox);
            }
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("drop-folder.poll-interval must be positive, got " + pollInterval);
        }
    }

    private static String folder(String location) {
        return location.endsWith("/") ? location : location + "/";
    }

    /** {@code s3://b/drop/inbox/} → {@code s3://b/drop/<name>/}; an inbox at the bucket's root gets {@code <name>/}. */
    private static String sibling(String inbox, String name) {
        String trimmed = inbox.substring(0, inbox.length() - 1);
        int slash = trimmed.lastIndexOf('/');
        String parent = trimmed.substring(0, slash + 1);
        return parent.equals("s3://") ? trimmed + "/" + name + "/" : parent + name + "/";
    }

    /** The bucket all four prefixes live in. */
    public String bucket() {
        return S3Location.parse(inbox).bucket();
    }
}
