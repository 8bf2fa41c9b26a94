package dev.calleval.cli;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.CircuitOpenException;
import dev.calleval.database.DatabaseRetry;
import dev.calleval.database.DatabaseUnavailableException;
import dev.calleval.execution.JobAlreadyRunningException;
import dev.calleval.jobfile.JobFileException;
import dev.calleval.s3.S3AccessException;
import dev.calleval.source.ManifestException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Maps an expected failure of a command to the one line an operator sees on stderr ({@code calleval: ...}) and the
 * exit code; anything else is a bug, whose stack trace the caller prints. The one place that decides what is
 * expected: {@link CliRunner} (a command threw), and the job's own failure reasons ({@code JobRunner}).
 *
 * <ul>
 *   <li>exit 4: the same job over the same source is already running;</li>
 *   <li>exit 2: bad usage or configuration — an invalid job file or manifest, a bad argument or setting;</li>
 *   <li>exit 1: the work failed on something outside calleval — Bluejay unreachable (refused, DNS, TLS, timeout) or
 *       refusing (401, 403, 404, 422), S3 refusing, the database unreachable during the command.</li>
 * </ul>
 */
public final class ErrorLines {
    /** The global option that shows stack traces and turns calleval's logging to DEBUG. */
    public static final String DEBUG = "--debug";

    private ErrorLines() {}

    /**
     * Whether the command line asks for {@value #DEBUG} (read before picocli parses it: logging is set up before the
     * command runs). Arguments after {@code --} do not count.
     */
    public static boolean debugRequested(String... args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(DEBUG)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The logging levels {@value #DEBUG} sets: calleval's DEBUG lines, and the stack traces that Spring Batch logs for a
     * failed step or job (off otherwise: calleval tells an expected failure in one line).
     */
    static java.util.Map<String, Object> debugLogging() {
        return java.util.Map.of("logging.level.dev.calleval", "DEBUG",
                "logging.level.org.springframework.batch.core.step.AbstractStep", "ERROR",
                "logging.level.org.springframework.batch.core.step.item.ChunkOrientedStep", "ERROR",
                "logging.level.org.springframework.batch.core.job.AbstractJob", "ERROR",
                "logging.level.org.springframework.boot", "WARN",
                "logging.level.com.zaxxer.hikari.pool.ProxyConnection", "WARN",
                "logging.level.com.zaxxer.hikari.pool.PoolBase", "WARN",
                "logging.level.org.springframework.transaction.support.TransactionTemplate", "ERROR");
    }

    /**
     * One expected failure: what to print after {@code calleval: }, and the exit code.
     *
     * @param message one line, naming what failed and what to do
     */
    public record Line(String message, int exitCode) {}

    /** The line for {@code failure}, or empty when it is not an expected failure (a bug: show its stack trace). */
    public static Optional<Line> describe(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof JobAlreadyRunningException) {
            return line(t.getMessage(), ExitCodes.ALREADY_RUNNING);
        }
        if (t instanceof JobFileException || t instanceof ManifestException || t instanceof IllegalArgumentException
                || t instanceof dev.calleval.source.InputFileException || t instanceof picocli.CommandLine.ParameterException) {
            return line(t.getMessage(), ExitCodes.USAGE);
        }
        if (t instanceof DatabaseUnavailableException) {
            return line(t.getMessage() + "; run it again once the database is back (nothing is lost)", ExitCodes.FAILED);
        }
        if (t instanceof AuthenticationFailedException || t instanceof CircuitOpenException || t instanceof BluejayApiException) {
            return line(t.getMessage(), ExitCodes.FAILED);
        }
        if (t instanceof S3AccessException) {
            return line(t.getMessage(), ExitCodes.FAILED);
        }
        if (DatabaseRetry.isConnectionLoss(t) || StartupFailures.isDatabase(t)) {
            return line("the database failed: " + StartupFailures.masked(StartupFailures.databaseMessage(t)) + " (CALLEVAL_DB_URL); check that it is up and "
                    + "reachable, then run the command again", ExitCodes.FAILED);
        }
        if (t instanceof java.io.UncheckedIOException || t instanceof java.io.IOException) {
            return line(StartupFailures.rootMessage(t), ExitCodes.FAILED);
        }
        return Optional.empty();
    }

    /**
     * A listener to add to the application when {@value #DEBUG} is given: puts {@link #debugLogging} before every other
     * property source (application.yaml quiets Spring Batch's stack traces) just before logging is set up.
     */
    public static org.springframework.context.ApplicationListener<org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent> debugLoggingListener() {
        return new DebugLogging();
    }

    private static final class DebugLogging implements org.springframework.context.ApplicationListener<
            org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent>, org.springframework.core.Ordered {
        @Override
        public void onApplicationEvent(org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent event) {
            event.getEnvironment().getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("calleval-debug", debugLogging()));
        }

        @Override
        public int getOrder() {
            return org.springframework.core.Ordered.HIGHEST_PRECEDENCE + 15; // after the environment, before logging (+20)
        }
    }

    /** Whether {@code failure} is expected (see {@link #describe}). */
    public static boolean isExpected(Throwable failure) {
        return describe(failure).isPresent();
    }

    /** Peels wrappers that say nothing of their own (Spring Batch's, picocli's execution exception). */
    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t && (t instanceof picocli.CommandLine.ExecutionException
                || t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof java.lang.reflect.UndeclaredThrowableException
                || t.getClass().getName().startsWith("org.springframework.batch.")
                || t.getClass().getName().equals("dev.calleval.evaluate.SubmissionWriter$RunStoppedException"))) {
            t = t.getCause();
        }
        return t;
    }

    private static Optional<Line> line(@Nullable String message, int exitCode) {
        String text = message == null || message.isBlank() ? "failed" : message.lines().findFirst().orElse("").strip();
        return Optional.of(new Line(text, exitCode));
    }
}
