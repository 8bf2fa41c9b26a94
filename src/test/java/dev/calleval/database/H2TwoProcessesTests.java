package dev.calleval.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CallevalApplication;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two calleval processes on the default H2 store in one directory ({@code AUTO_SERVER}): the one that opened the file
 * first (and serves it to the other) ends while the other's run is going; the other reconnects
 * ({@code AUTO_RECONNECT}) and completes. Each process is started as an operator does, from this JVM's classpath.
 */
class H2TwoProcessesTests {
    private static final Path TRANSCRIPT = Path.of("sample-data/transcripts/nw-2026-11-19-0001.json").toAbsolutePath();
    private static final Pattern SOURCE_ID = Pattern.compile("\"calleval_source_id\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path work;

    @Test
    void whenTheProcessServingTheH2FileEndsTheOtherRunCarriesOnAndCompletes() throws Exception {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook().withRecordBodies(true))) {
            Path first = job("first", 40, 20);
            Path second = job("second", 200, 20);
            Process a = start(sandbox, first, "first.log");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (sandbox.stats().evaluateAccepted() < 5 && a.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50); // the first has opened the file (it serves it) and is sending
            }
            Process b = start(sandbox, second, "second.log");

            assertThat(a.waitFor(3, TimeUnit.MINUTES)).isTrue();
            assertThat(b.isAlive()).as("the second is still running when the first ends").isTrue();
            assertThat(b.waitFor(3, TimeUnit.MINUTES)).isTrue();

            String firstLog = Files.readString(work.resolve("first.log"));
            String secondLog = Files.readString(work.resolve("second.log"));
            assertThat(a.exitValue()).as(firstLog).isZero();
            assertThat(b.exitValue()).as(secondLog).isZero();
            assertThat(secondLog).contains("— COMPLETED").doesNotContain("unknown state").doesNotContain("\tat ");
            Map<String, Long> accepted = sandbox.requests().stream()
                    .filter(r -> r.endpoint() == SandboxEndpoint.EVALUATE && r.status() == 200)
                    .map(r -> sourceId(r.body()))
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(accepted).as("every call of both runs accepted").hasSize(240);
            assertThat(accepted.values()).as("none sent twice").containsOnly(1L);
        }
    }

    private Process start(SandboxServer sandbox, Path job, String log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                CallevalApplication.class.getName(), "run", job.toString()))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(log).toFile());
        Map<String, String> env = builder.environment();
        env.remove("CALLEVAL_DB_URL"); // the default store: ./data/calleval with AUTO_SERVER
        env.put("BLUEJAY_BASE_URL", sandbox.baseUri().toString());
        env.put("BLUEJAY_API_KEY", "test-key");
        env.put("SERVER_PORT", "0");
        return builder.start();
    }

    private static String sourceId(String body) {
        Matcher m = SOURCE_ID.matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : "?";
    }

    private Path job(String name, int calls, int rateLimit) throws IOException {
        StringBuilder csv = new StringBuilder("call_id,agent_id,start_time_utc,transcript\n");
        for (int i = 1; i <= calls; i++) {
            csv.append("%s-%05d,1234,2026-11-19T%02d:%02d:%02dZ,%s\n".formatted(name, i, i / 3600, i / 60 % 60, i % 60, TRANSCRIPT));
        }
        Path manifest = work.resolve(name + ".csv");
        Files.writeString(manifest, csv);
        Path file = work.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                submit:
                  rate-limit: %d
                  max-in-flight: 4
                  chunk-size: 10
                report:
                  directory: %s
                """.formatted(name, manifest, rateLimit, work.resolve("reports")));
        return file;
    }
}
