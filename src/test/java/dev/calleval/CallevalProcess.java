package dev.calleval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * calleval started as an operator starts it: {@code java -jar target/calleval.jar ARGS} as a separate process, in a
 * working directory of the test's, with only the environment the test gives (no {@code CALLEVAL_*},
 * {@code BLUEJAY_*} or {@code SERVER_PORT} inherited). Its stdout and stderr go to files in the working directory. For
 * the {@code *ProcessTests}, which failsafe runs after {@code package}; without the jar they are skipped, saying so.
 */
public final class CallevalProcess implements AutoCloseable {
    private static final Pattern SERVE_PORT = Pattern.compile("serve: listening on port (\\d+)");

    private final Process process;
    private final Path out;
    private final Path err;
    private final long startedNanos;

    private CallevalProcess(Process process, Path out, Path err, long startedNanos) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.startedNanos = startedNanos;
    }

    /** Exit code, stdout, stderr and wall time of a command that ran to its end. */
    public record Result(int exitCode, String out, String err, Duration elapsed) {}

    /** The jar under test: {@code calleval.jar} (set by failsafe), else {@code target/calleval.jar}; skips the test when it is absent. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("calleval.jar", "target/calleval.jar")).toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar),
                () -> jar + " is not built: the process tests run in 'mvnw verify' (failsafe, after package)");
        return jar;
    }

    /**
     * Starts {@code calleval ARGS}.
     *
     * @param workDir the working directory; stdout and stderr go to {@code <name>.out} and {@code <name>.err} in it
     * @param name names the output files, so that several processes can share a directory
     * @param env the environment variables besides the JVM's own ({@code PATH}, {@code HOME}, ...)
     */
    public static CallevalProcess start(Path workDir, String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CALLEVAL_") || k.startsWith("BLUEJAY_") || k.startsWith("SERVER_")
                || k.startsWith("MANAGEMENT_") || k.startsWith("SPRING_") || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(env);
        Path out = workDir.resolve(name + ".out");
        Path err = workDir.resolve(name + ".err");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        long started = System.nanoTime();
        return new CallevalProcess(builder.start(), out, err, started);
    }

    /** Runs {@code calleval ARGS} to its end (at most {@code timeout}, then it is killed and the test fails). */
    public static Result run(Path workDir, String name, Map<String, String> env, Duration timeout, String... args) throws Exception {
        try (CallevalProcess process = start(workDir, name, env, args)) {
            return process.await(timeout);
        }
    }

    /** Waits for the process to end, at most {@code timeout}. */
    public Result await(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("calleval did not end within " + timeout + "; stderr:\n" + err());
        }
        return new Result(process.exitValue(), out(), err(), Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /**
     * The port {@code serve} listens on, from its line on stdout ({@code serve: listening on port N}), waiting up to
     * {@code timeout}; fails when the process ends first.
     */
    public int servePort(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher port = SERVE_PORT.matcher(out());
            if (port.find()) {
                return Integer.parseInt(port.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("serve ended with " + process.exitValue() + " before listening; stderr:\n" + err());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve did not print its port within " + timeout + "; stderr:\n" + err());
    }

    /** Sends SIGTERM (as Kubernetes and {@code docker stop} do). */
    public void terminate() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Time since the start. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** What it printed on stdout so far. */
    public String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** What it printed on stderr so far. */
    public String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Kills the process if it still runs (a test that failed midway). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
