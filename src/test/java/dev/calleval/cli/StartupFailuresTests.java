package dev.calleval.cli;

import dev.calleval.CallevalApplication;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A start that fails on configuration is told in one line (what CallevalApplication.main prints before exiting 2). */
class StartupFailuresTests {

    private static Throwable start(Map<String, Object> properties, String... args) {
        SpringApplication app = CallevalApplication.application(args);
        app.setDefaultProperties(properties);
        return catchThrowable(() -> CallevalApplication.run(app, args));
    }

    @Test
    void anUnreachableDatabaseIsNamedWithItsPasswordMasked() {
        String url = "jdbc:postgresql://127.0.0.1:1/calleval?password=hunter2";
        Throwable failure = start(Map.of("CALLEVAL_DB_URL", url), "status");

        String line = StartupFailures.describe(failure, url);
        assertThat(line).startsWith("cannot open the database jdbc:postgresql://127.0.0.1:1/calleval?password=**** (CALLEVAL_DB_URL): ")
                .contains("refused").doesNotContain("hunter2").doesNotContain("\n");
        assertThat(StartupFailures.exitCode()).isEqualTo(2);
    }

    @Test
    void aTakenPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Throwable failure = start(Map.of("SERVER_PORT", taken.getLocalPort(), "server.address", "127.0.0.1",
                    "CALLEVAL_DB_URL", "jdbc:h2:mem:startup-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), "serve");

            assertThat(StartupFailures.describe(failure, "jdbc:h2:mem:x"))
                    .isEqualTo("port " + taken.getLocalPort() + " is already in use: stop the process that holds it, or set SERVER_PORT to another port");
        }
    }

    @Test
    void aMisspeltKeyOrAValueOutOfRangeIsNamedWithoutTheDatabaseBeingOpened() {
        String unreachable = "jdbc:postgresql://127.0.0.1:1/calleval"; // the settings are told before the database is tried
        Throwable misspelt = start(Map.of("CALLEVAL_DB_URL", unreachable, "calleval.heartbeat.intervall", "5s"), "status");
        assertThat(StartupFailures.describe(misspelt, unreachable))
                .startsWith("unknown setting calleval.heartbeat.intervall (default properties): did you mean calleval.heartbeat.interval?");

        Throwable outOfRange = start(Map.of("CALLEVAL_DB_URL", "jdbc:h2:mem:startup-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "CALLEVAL_DB_OUTAGE_TOLERANCE", "2d"), "status");
        assertThat(StartupFailures.describe(outOfRange, "jdbc:h2:mem:x"))
                .isEqualTo("calleval.database.outage-tolerance must be between 0s and 24h, was 48h (fix it in application.yaml or the environment "
                        + "variable that sets it)");
    }

    @Test
    void anotherFailureIsNotDisguised() {
        assertThat(StartupFailures.describe(new IllegalStateException("a bug"), "jdbc:h2:mem:x")).isNull();
        assertThat(StartupFailures.masked("jdbc:postgresql://calleval:s3cret@db:5432/x")).isEqualTo("jdbc:postgresql://calleval:****@db:5432/x");
    }
}
