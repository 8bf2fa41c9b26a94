package dev.calleval.database;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of a test's own, which the test may stop and start (the shared one on 55432 must never be
 * restarted): {@code scripts/postgres.sh} on a free port, its cluster in a temporary folder. Skips the test (with the
 * script's own words) when the script cannot start a server here, e.g. PostgreSQL is not installed and cannot be.
 */
final class PostgresRestart implements AutoCloseable {
    private static final Path SCRIPT = Path.of("scripts/postgres.sh").toAbsolutePath();

    private final int port;
    private final Path directory;

    private PostgresRestart(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /**
     * Creates and starts a server in a new temporary folder (readable by all: as root, the `postgres` user owns the
     * cluster, and JUnit's temporary folders are private); skips the test when that fails.
     */
    static PostgresRestart start() throws IOException, InterruptedException {
        Path parent = Files.createTempDirectory("calleval-outage-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PostgresRestart server = new PostgresRestart(port, parent.resolve("pg"));
        Result started = server.script("start");
        Assumptions.assumeTrue(started.code() == 0, () -> "scripts/postgres.sh could not start a PostgreSQL server of this test's own, so "
                + "the restart test is skipped: " + started.output().strip());
        return server;
    }

    /** A JDBC URL of the server's database, with user and password, for {@code CALLEVAL_DB_URL}. */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/calleval?user=calleval&password=calleval";
    }

    /** Stops the server (fast: open sessions are ended, as in a failover), waits {@code downFor}, starts it again. */
    void restart(java.time.Duration downFor) throws IOException, InterruptedException {
        Result stopped = script("stop");
        if (stopped.code() != 0) {
            throw new IllegalStateException("could not stop the test's PostgreSQL: " + stopped.output());
        }
        Thread.sleep(downFor.toMillis());
        Result started = script("start");
        if (started.code() != 0) {
            throw new IllegalStateException("could not start the test's PostgreSQL again: " + started.output());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("destroy");
        Files.deleteIfExists(directory.getParent());
    }

    private record Result(int code, String output) {}

    private Result script(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", SCRIPT.toString(), command)).redirectErrorStream(true);
        builder.environment().put("CALLEVAL_PG_PORT", Integer.toString(port));
        builder.environment().put("CALLEVAL_PG_DIR", directory.toString());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Result(-1, "scripts/postgres.sh " + command + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
