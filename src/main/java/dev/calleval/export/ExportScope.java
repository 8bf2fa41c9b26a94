package dev.calleval.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Which calls an export holds: those one job execution read, or those of a job whose result (else submission, else
 * first read) time falls in a half-open UTC window.
 */
public sealed interface ExportScope {

    /** The job the calls belong to. */
    String job();

    /**
     * The object name an export of this scope gets under an S3 prefix: {@code <job>/<execution id>.<ext>}, or
     * {@code <job>/<window>.<ext>} with the window {@code all}, {@code since-<since>}, {@code until-<until>} or
     * {@code <since>_<until>} (dates as given: {@code 2026-11-19}, or an instant such as {@code 2026-11-19T06:00:00Z}
     * with {@code :} replaced by {@code -}).
     */
    String objectName(ExportFormat format);

    /** The scope in words, e.g. {@code sample execution 7} or {@code nightly since 2026-11-19}. */
    String describe();

    /**
     * Every call the execution read ({@code execution_call}), in input order.
     *
     * @param executionId a job execution id of an evaluate job
     */
    record Execution(String job, long executionId) implements ExportScope {
        @Override
        public String objectName(ExportFormat format) {
            return job + "/" + executionId + "." + format.extension();
        }

        @Override
        public String describe() {
            return job + " execution " + executionId;
        }
    }

    /**
     * The calls of a job ({@code call_ledger.job_name}: the job that last read each call) whose time — result time,
     * else submission time, else first-read time — is in {@code [since, until)}; either end may be open.
     *
     * @param sinceText {@code since} as the user wrote it (for the object name), or null
     * @param untilText {@code until} as the user wrote it, or null
     */
    record JobWindow(String job, @Nullable Instant since, @Nullable Instant until, @Nullable String sinceText,
                     @Nullable String untilText) implements ExportScope {

        /** @throws IllegalArgumentException when {@code since} is not before {@code until} */
        public JobWindow {
            if (since != null && until != null && !since.isBefore(until)) {
                throw new IllegalArgumentException("--since " + sinceText + " must be before --until " + untilText);
            }
        }

        /**
         * The window the options give.
         *
         * @param since {@code --since}: a UTC date (its start) or an ISO-8601 instant; null: open
         * @param until {@code --until}: a UTC date (its start: that day is not included) or an instant; null: open
         * @throws IllegalArgumentException naming the option when a value is neither, or since is not before until
         */
        public static JobWindow of(String job, @Nullable String since, @Nullable String until) {
            return new JobWindow(job, since == null ? null : time("--since", since), until == null ? null : time("--until", until), since, until);
        }

        @Override
        public String objectName(ExportFormat format) {
            String window = sinceText == null && untilText == null ? "all"
                    : untilText == null ? "since-" + name(sinceText)
                    : sinceText == null ? "until-" + name(untilText)
                    : name(sinceText) + "_" + name(untilText);
            return job + "/" + window + "." + format.extension();
        }

        @Override
        public String describe() {
            return job + (sinceText == null ? "" : " since " + sinceText) + (untilText == null ? "" : " until " + untilText);
        }

        private static String name(String text) {
            return text.replace(':', '-');
        }

        private static Instant time(String option, String text) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                try {
                    return Instant.parse(text);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(option + " '" + text + "' is not a date: use YYYY-MM-DD (a UTC day) "
                            + "or an instant such as 2026-11-19T06:00:00Z");
                }
            }
        }
    }
}
