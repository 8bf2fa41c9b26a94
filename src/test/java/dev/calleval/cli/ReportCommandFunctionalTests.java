package dev.calleval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxServer;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code calleval report} through the real command line, after a real run against the sandbox: every format, by
 * execution id and by job, a result that arrives after the run, the regenerated report directory, and the exit codes
 * of a wrong request.
 */
class ReportCommandFunctionalTests {
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private final String database = "jdbc:h2:mem:report-command-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private CommandLine.Result calleval(String... args) {
        return CommandLine.run(database, Map.of(), args);
    }

    @Test
    void reportsAnExecutionFromTheDatabaseWithResultsThatArrivedAfterTheRun() throws Exception {
        Path job = work.resolve("sample.yaml");
        Files.writeString(job, """
                name: sample
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                  chunk-size: 5
                results:
                  poll-after: 1h
                report:
                  directory: %s
                """.formatted(SAMPLE_DATA.resolve("manifests/calls.csv"), work.resolve("reports")));
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook())) {
            assertThat(CommandLine.run(database, Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "key"),
                    "run", job.toString(), "--wait-for-results", "0s").exitCode()).isZero();
        }

        CommandLine.Result json = calleval("report", "1");
        assertThat(json.exitCode()).isZero();
        JsonNode summary = JSON.readTree(json.out().substring(json.out().indexOf('{')));
        assertThat(summary.path("job").asString()).isEqualTo("sample");
        assertThat(summary.path("rows_read").asLong()).isEqualTo(15);
        assertThat(summary.path("counts").path("waiting_for_result").asLong()).as("no webhook reached the run").isEqualTo(15);
        assertThat(summary.path("requests").path("attempts").asLong()).as("kept in the job execution context").isEqualTo(15);
        assertThat(summary.path("source").asString()).endsWith("manifests/calls.csv");

        CommandLine.Result csv = calleval("report", "1", "--format", "csv");
        List<CSVRecord> calls = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.out())).getRecords();
        assertThat(calls).hasSize(15);
        String firstCall = calls.get(0).get("call_id");
        assertThat(calls.get(0).get("source_id")).isEqualTo("nw-2026-11-19-0001");

        // Bluejay's webhook for the first call arrives after the run (here: stored in the inbox as the receiver would)
        String body = Files.readString(SAMPLE_DATA.resolve("webhooks/observability_call_evaluated.json"))
                .replace("5c5a2d43-1d37-5aed-b79c-0641b23b0607", firstCall);
        try (Connection c = DriverManager.getConnection(database, "sa", "");
                PreparedStatement insert = c.prepareStatement("INSERT INTO webhook_event (dedupe_key, event_type, subject_id, call_id, source_id, "
                        + "status, body, received_at) VALUES (?, 'observability_call_evaluated', ?, ?, 'nw-2026-11-19-0001', 'COMPLETED', ?, ?)")) {
            insert.setString(1, "test:" + firstCall);
            insert.setString(2, firstCall);
            insert.setString(3, firstCall);
            insert.setString(4, body);
            insert.setTimestamp(5, Timestamp.from(Instant.now()));
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }

        Path page = work.resolve("out/page.html");
        CommandLine.Result html = calleval("report", "--job", "sample", "--format", "html", "--output", page.toString());
        assertThat(html.exitCode()).isZero();
        assertThat(html.out()).contains("html of sample execution 1 written to " + page);
        String text = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(text).contains("data-label=\"evaluated\" data-value=\"1\"").contains("data-label=\"waiting for result\" data-value=\"14\"")
                .contains("<h3>Goal success: 100 % of 1 judged calls</h3>").contains("<h3>Order status resolved</h3>");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("<a href=\"([^\"]+)\">open the file</a>").matcher(text);
        assertThat(link.find()).isTrue();
        assertThat(link.group(1)).doesNotStartWith("/");
        assertThat(page.getParent().resolve(link.group(1)).normalize()).as("a link relative to the page's directory")
                .isEqualTo(SAMPLE_DATA.resolve("transcripts/nw-2026-11-19-0001.json"));

        CommandLine.Result regenerated = calleval("report", "1", "--output-dir", work.resolve("regen").toString());
        assertThat(regenerated.exitCode()).isZero();
        Path dir = work.resolve("regen/sample/1");
        assertThat(dir.resolve("calls.csv")).exists();
        assertThat(dir.resolve("rejects.csv")).content().startsWith("line,source,source_id,fields,reason,origin");
        assertThat(dir.resolve("report.html")).content().contains("id=\"chart-latency\"");
        JsonNode after = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(after.path("counts").path("evaluated").asLong()).isEqualTo(1);
        assertThat(after.path("counts_add_up").asBoolean()).isTrue();
    }

    @Test
    void aWrongRequestFailsWithItsDocumentedExitCode() {
        assertThat(calleval("report", "42").exitCode()).as("no such execution").isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(calleval("report", "--job", "nightly").exitCode()).as("a job without executions").isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(calleval("report", "1", "--job", "sample").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(calleval("report", "1", "--format", "xml").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
