package dev.calleval.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CallevalProcess;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code calleval run} processes (java -jar) on one account and one H2 file, as a cron run beside an on-demand run
 * on one host, against a sandbox that admits 20 requests per rolling second and answers after 300 ms: the account's
 * budget is shared, so together they stay within the limit (the issue measured 125 answers 429 and a call left FAILED
 * before): no call FAILED, a handful of 429s at most, and each progress line shows the share.
 */
class RateBudgetProcessTests {
    private static final int CALLS = 80;
    private static final Duration RUN = Duration.ofMinutes(5);

    @TempDir
    Path work;

    private Path job(String name) throws Exception {
        Path transcript = work.resolve("transcript.json");
        if (!Files.exists(transcript)) {
            Files.writeString(transcript, """
                    [{"start_offset_ms": 0, "end_offset_ms": 2000, "speaker": "AGENT", "utterance": "Hello, how can I help?"},
                     {"start_offset_ms": 2500, "end_offset_ms": 4000, "speaker": "USER", "utterance": "Where is my order?"}]
                    """);
        }
        List<String> rows = new ArrayList<>(List.of("call_id,agent_id,start_time_utc,recording,transcript,call_direction,interface"));
        for (int i = 1; i <= CALLS; i++) {
            rows.add("%s-%04d,1234,2026-11-19T08:%02d:%02dZ,https://recordings.example.com/%s-%04d.wav,transcript.json,INBOUND,PHONE"
                    .formatted(name, i, i / 60, i % 60, name, i));
        }
        Path manifest = Files.writeString(work.resolve(name + ".csv"), String.join("\n", rows) + "\n");
        return Files.writeString(work.resolve(name + ".yaml"), """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 20
                  max-in-flight: 16
                report:
                  directory: %s
                """.formatted(name, manifest, work.resolve("reports")));
    }

    @Test
    void twoRunProcessesOnOneH2FileShareTheAccountsBudget() throws Exception {
        SandboxConfig strict = SandboxConfig.defaults().withLatency(Duration.ofMillis(300))
                .withFaults(SandboxConfig.Faults.none().withRateLimitPerSecond(20));
        try (SandboxServer sandbox = SandboxServer.start(strict)) {
            Map<String, String> env = Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "process-test-key-91d3",
                    "CALLEVAL_DB_URL", "jdbc:h2:file:" + work.resolve("data/calleval") + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0",
                    "CALLEVAL_BLUEJAY_RATE_LIMIT_PER_SECOND", "20", "CALLEVAL_PROGRESS_MODE", "log", "CALLEVAL_PROGRESS_INTERVAL", "2s");
            Path nightly = job("nightly");
            Path onDemand = job("ondemand");
            try (CallevalProcess first = CallevalProcess.start(work, "nightly", env, "run", nightly.toString());
                    CallevalProcess second = CallevalProcess.start(work, "ondemand", env, "run", onDemand.toString())) {
                CallevalProcess.Result a = first.await(RUN);
                CallevalProcess.Result b = second.await(RUN);
                assertThat(a.exitCode()).as(a.err()).isZero();
                assertThat(b.exitCode()).as(b.err()).isZero();
                List<LoggedRequest> requests = sandbox.requests();
                long tooMany = requests.stream().filter(r -> r.status() == 429).count();
                assertThat(sandbox.stats().evaluateAccepted()).isEqualTo(2L * CALLS); // none FAILED: every call accepted
                // unshared, each process paced itself at 20/s: some 40/s against 20, dozens of 429s (the issue: 125 for 200
                // calls each). The target (<= 2 answers 429, <= 21 in any second) is bench/rate-budget.sh's on a quiet
                // machine; here, on a machine shared with other builds, a late thread may still cost one or two more
                assertThat(tooMany).as("429 answers").isLessThanOrEqualTo(5);
                assertThat(sandbox.stats().maxRequestsInAnySlidingSecond()).isLessThanOrEqualTo(22);
                assertThat(a.out() + b.out()).doesNotContain("FAILED");
                // the progress lines tell each execution's share and the account's total
                assertThat(a.err() + b.err()).containsPattern("budget \\d+\\.\\d of 20/s \\(2 executions\\)");
                assertThat(a.err() + b.err()).doesNotContain("process-test-key-91d3");
            }
        }
    }
}
