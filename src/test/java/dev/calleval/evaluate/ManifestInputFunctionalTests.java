package dev.calleval.evaluate;

import dev.calleval.CommandLine;
import dev.calleval.s3.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manifests as real exports make them, run as a user runs them ({@code run JOB --sandbox} through the real command
 * line): a manifest that cannot be read is refused in one line on stderr with exit 2 and no job execution recorded;
 * gzip is read transparently (local and S3); a CSV syntax error in the middle ends the read at its line with the
 * rows before processed and exit 1; ragged rows and control characters are rejected; every row read ends in exactly
 * one state, and reports name the manifest as the operator sees it.
 */
class ManifestInputFunctionalTests {
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-manifests");

    @TempDir
    Path work;

    private String databaseUrl;

    /** Exit code, stdout and the non-blank lines of stderr of one command. */
    private record Result(int exitCode, String out, List<String> err) {}

    private static final java.util.regex.Pattern LOG_LINE = java.util.regex.Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) ");

    @BeforeEach
    void freshDatabase() {
        databaseUrl = newDatabaseUrl();
    }

    /** The JDBC URL of a new, empty database for one test: H2 in memory here. */
    String newDatabaseUrl() {
        return "jdbc:h2:mem:manifests-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    /** The header and the first {@code rows} rows of the sample manifest, its file paths made absolute. */
    private static List<String> sampleLines(int rows) throws IOException {
        List<String> lines = Files.readAllLines(SAMPLE_DATA.resolve("manifests/calls.csv"));
        return lines.subList(0, rows + 1).stream().map(l -> l.replace("../", SAMPLE_DATA + "/")).toList();
    }

    private static String csv(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = work.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private Path jobFile(String name, String location) throws IOException {
        Path file = work.resolve("jobs").resolve(name + ".yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                name: %s
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 0
                  max-in-flight: 4
                  chunk-size: 2
                results:
                  poll-after: 1s
                  poll-interval: 200ms
                report:
                  directory: %s
                """.formatted(name, location, work.resolve("reports")));
        return file;
    }

    /** {@code calleval ARGS} in this JVM, stderr captured too. */
    private Result calleval(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine.Result result;
        try {
            result = CommandLine.run(databaseUrl, new HashMap<>(s3.properties()), args);
        } finally {
            System.setErr(original);
            original.print(err.toString(StandardCharsets.UTF_8));
        }
        // what calleval itself wrote on stderr (and any stack trace), not its log lines (logs go to stderr too)
        String captured = result.err();
        List<String> lines = captured.lines().filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).lookingAt()).toList();
        return new Result(result.exitCode(), result.out(), lines);
    }

    private Result run(Path job) {
        return calleval("run", job.toString(), "--sandbox", "--wait-for-results", "30s");
    }

    private long jobExecutions() throws SQLException {
        try (Connection c = databaseUrl.startsWith("jdbc:h2:") ? DriverManager.getConnection(databaseUrl, "sa", "")
                : DriverManager.getConnection(databaseUrl); // a PostgreSQL URL carries its user and password
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonNode summary(String job, long execution) throws IOException {
        return JSON.readTree(work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve("summary.json").toFile());
    }

    private List<CSVRecord> report(String job, long execution, String file) throws IOException {
        try (Reader in = Files.newBufferedReader(work.resolve("reports").resolve(job).resolve(Long.toString(execution)).resolve(file))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    /** A refused manifest: exit 2, one line on stderr naming it, no stack trace, no job execution in the repository. */
    private void assertRefused(Path job, String... messageParts) throws SQLException {
        Result result = run(job);

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.err()).as("stderr").singleElement().satisfies(line -> {
            assertThat(line).startsWith("calleval: ");
            for (String part : messageParts) {
                assertThat(line).contains(part);
            }
        });
        assertThat(result.out()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(jobExecutions()).as("no job execution recorded").isZero();
    }

    @Test
    void aMissingManifestIsRefusedBeforeTheJobStarts() throws Exception {
        assertRefused(jobFile("missing", "../nowhere/calls.csv"), work.resolve("nowhere/calls.csv").toString(), "manifest not found",
                "source.location");
    }

    @Test
    void anEmptyManifestIsRefusedBeforeTheJobStarts() throws Exception {
        write("empty.csv", new byte[0]);

        assertRefused(jobFile("empty", "../empty.csv"), work.resolve("empty.csv") + ": the manifest is empty", "header row");
        assertThat(run(jobFile("empty", "../empty.csv")).exitCode()).as("the next run is refused the same way, nothing to restart").isEqualTo(2);
        assertThat(jobExecutions()).isZero();
    }

    @Test
    void aUtf16ManifestIsRefusedBeforeTheJobStarts() throws Exception {
        byte[] text = csv(sampleLines(2)).getBytes(StandardCharsets.UTF_16); // big-endian, with its byte order mark
        write("utf16.csv", text);

        assertRefused(jobFile("utf16", "../utf16.csv"), "utf16.csv: the manifest is UTF-16 text (byte order mark fe ff): save it as UTF-8");
    }

    @Test
    void aGzipSavedAsCsvAndACsvGzAreReadTransparently() throws Exception {
        byte[] manifest = csv(sampleLines(3)).getBytes(StandardCharsets.UTF_8);
        write("export.csv", gzip(manifest));
        write("export2.csv.gz", gzip(manifest));

        for (String name : List.of("export.csv", "export2.csv.gz")) {
            String job = name.replace('.', '-');
            databaseUrl = newDatabaseUrl();
            Result result = run(jobFile(job, "../" + name));

            assertThat(result.exitCode()).as(name + ": " + result.out()).isZero();
            JsonNode summary = summary(job, 1);
            assertThat(summary.path("rows_read").asLong()).isEqualTo(3);
            assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(3);
            assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
        }
    }

    @Test
    void aCsvGzInS3IsReadTransparently() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLE_DATA.resolve("manifests/calls.csv")).subList(0, 3); // paths relative: ../recordings/...
        for (String folder : List.of("recordings", "transcripts", "sidecars")) {
            for (String call : List.of("nw-2026-11-19-0001", "nw-2026-11-19-0002")) {
                Path file = SAMPLE_DATA.resolve(folder).resolve(call + (folder.equals("recordings") ? ".wav" : ".json"));
                s3.put(folder + "/" + file.getFileName(), file);
            }
        }
        s3.put("exports/calls.csv.gz", gzip(csv(lines).getBytes(StandardCharsets.UTF_8)));

        Result result = run(jobFile("s3gz", "s3://calleval-manifests/exports/calls.csv.gz"));

        assertThat(result.exitCode()).as(result.out()).isZero();
        JsonNode summary = summary("s3gz", 1);
        assertThat(summary.path("source").asString()).isEqualTo("s3://calleval-manifests/exports/calls.csv.gz");
        assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(2);
    }

    @Test
    void anUnbalancedQuoteInTheMiddleEndsTheReadThereAfterTheRowsBeforeAreProcessed() throws Exception {
        List<String> lines = new ArrayList<>(sampleLines(5));
        lines.set(3, lines.get(3).replace(",Nora (Northwind AI),", ",\"Nora (Northwind AI),")); // line 4: a quote never closed
        Path manifest = write("broken.csv", csv(lines).getBytes(StandardCharsets.UTF_8));
        Path job = jobFile("broken", "../broken.csv");

        Result result = run(job);

        assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
        assertThat(result.err()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("calleval: broken execution 1 ended FAILED: " + manifest + ":4: CSV syntax error")
                .contains("the rows before line 4 were processed"));
        assertThat(result.out()).doesNotContain("\tat ");
        JsonNode summary = summary("broken", 1);
        assertThat(summary.path("status").asString()).isEqualTo("FAILED");
        assertThat(summary.path("rows_read").asLong()).isEqualTo(3);
        assertThat(summary.path("submitted_this_run").asLong()).as("the two rows before line 4 were sent").isEqualTo(2);
        assertThat(summary.path("counts").path("rejected").asLong()).isEqualTo(1);
        assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
        assertThat(report("broken", 1, "rejects.csv")).singleElement().satisfies(r -> {
            assertThat(r.get("source")).isEqualTo(manifest + ":4");
            assertThat(r.get("reason")).contains("CSV syntax error");
        });

        // fixed, the next run restarts the failed one: the two rows sent are not sent again, the rest are
        Files.writeString(manifest, csv(sampleLines(5)));
        assertThat(run(job).exitCode()).isZero();
        JsonNode second = summary("broken", 2);
        assertThat(second.path("rows_read").asLong()).isEqualTo(5);
        assertThat(second.path("counts").path("already_done").asLong()).isEqualTo(2);
        assertThat(second.path("submitted_this_run").asLong()).isEqualTo(3);
        assertThat(second.path("counts_add_up").asBoolean()).isTrue();
    }

    @Test
    void raggedRowsAndControlCharactersAreRejectedAndTheOtherRowsEvaluated() throws Exception {
        List<String> lines = new ArrayList<>(sampleLines(4));
        lines.set(2, lines.get(2) + ",surplus");                        // line 3: one cell too many
        lines.set(3, lines.get(3).substring(0, lines.get(3).lastIndexOf(','))); // line 4: one cell short
        lines.set(4, lines.get(4).replaceFirst("^nw-", "nw\u0000-"));   // line 5: a NUL in the call id
        write("ragged.csv", csv(lines).getBytes(StandardCharsets.UTF_8));

        Result result = run(jobFile("ragged", "../ragged.csv"));

        assertThat(result.exitCode()).as(result.out()).isZero();
        JsonNode summary = summary("ragged", 1);
        assertThat(summary.path("rows_read").asLong()).isEqualTo(4);
        assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(1);
        assertThat(summary.path("counts").path("rejected").asLong()).isEqualTo(3);
        assertThat(summary.path("counts_add_up").asBoolean()).isTrue();
        Map<String, CSVRecord> rejects = new HashMap<>();
        report("ragged", 1, "rejects.csv").forEach(r -> rejects.put(r.get("line"), r));
        assertThat(rejects.get("3").get("reason")).contains("the row has 26 cells but the header has 25"); // calls.csv has 25 columns
        assertThat(rejects.get("4").get("reason")).contains("the row has 24 cells but the header has 25");
        assertThat(rejects.get("5").get("fields")).isEqualTo("call_id");
        assertThat(rejects.get("5").get("reason")).contains("call_id holds the control character U+0000");
        assertThat(rejects.get("5").get("source_id")).as("shown escaped").isEqualTo("nw\\u0000-2026-11-19-0004");
    }

    @Test
    void aUtf8ByteOrderMarkIsAcceptedAndReportsNameTheManifestFromTheWorkingDirectory() throws Exception {
        byte[] text = csv(sampleLines(2)).getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Path manifest = write("bom.csv", withBom);

        Result result = run(jobFile("bom", "../bom.csv"));

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.err()).as("no warning: every column is known").isEmpty();
        JsonNode summary = summary("bom", 1);
        assertThat(summary.path("counts").path("evaluated").asLong()).isEqualTo(2);
        // the temporary folder is outside the working directory: absolute, never relative to the job file
        assertThat(summary.path("source").asString()).isEqualTo(manifest.toString());
        assertThat(report("bom", 1, "calls.csv")).extracting(c -> c.get("source")).containsExactly(manifest + ":2", manifest + ":3");
    }

    @Test
    void unknownColumnsAreWarnedAboutOnceByRunAndValidate() throws Exception {
        write("cols.csv", """
                call_id,agent,start_time,transcript
                c-1,1234,2026-11-19T08:00:00Z,x.json
                """.getBytes(StandardCharsets.UTF_8));
        Path job = jobFile("cols", "../cols.csv");

        for (String command : List.of("validate", "run")) {
            Result result = command.equals("run") ? run(job) : calleval("validate", job.toString());
            assertThat(result.err()).as(command).filteredOn(l -> l.contains("unknown columns")).singleElement().satisfies(l -> assertThat(l)
                    .isEqualTo("calleval: warning: " + work.resolve("cols.csv") + ": unknown columns agent, start_time, ignored (did you mean: "
                            + "agent → agent_id, start_time → start_time_utc?); known columns: call_id, agent_id, external_agent_id, "
                            + "start_time_utc, recording, transcript, agent_name, agent_phone, customer_name, customer_phone, "
                            + "agent_spoke_first, call_direction, interface, tags, tool_calls, events, sidecar, custom_metrics, "
                            + "custom_metric_tags, label, conversation_ended_by, multichannel, trace_id, transcript_format, "
                            + "metadata.<key> (docs/manifests.md)"));
        }
    }

    @Test
    void aMisspeltJobFileKeyFailsRunAndValidateWithExitTwo() throws Exception {
        Path job = jobFile("typo", "../calls.csv");
        Files.writeString(job, Files.readString(job).replace("rate-limit: 0", "rate-limits: 0"));

        for (String command : List.of("validate", "run")) {
            Result result = calleval(command, job.toString());
            assertThat(result.exitCode()).as(command).isEqualTo(2);
            assertThat(result.err()).as(command).singleElement().isEqualTo("calleval: " + job
                    + ":7: unknown key 'submit.rate-limits': 'rate-limits' is not a key of submit (did you mean 'submit.rate-limit'?) "
                    + "(a job file holds only the keys of docs/job-file.md)");
        }
    }

    /**
     * calleval as a process of its own (the test classpath, as {@code java -jar} has it), started from the manifest's
     * folder: Spring's own error output would show here. The one line names the manifest from there.
     */
    @Test
    void asAProcessAnEmptyManifestIsRefusedInOneLineWithoutAStackTrace() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(databaseUrl.startsWith("jdbc:h2:"), "the process runs on its own H2 file");
        write("empty.csv", new byte[0]);
        Path job = jobFile("empty", "../empty.csv");

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.calleval.CallevalApplication", "run", job.toString(), "--sandbox")
                .directory(work.toFile())
                .redirectOutput(work.resolve("out.txt").toFile())
                .redirectError(work.resolve("err.txt").toFile());
        builder.environment().put("CALLEVAL_DB_URL", "jdbc:h2:file:" + work.resolve("db") + ";AUTO_SERVER=TRUE");
        builder.environment().put("SERVER_PORT", "0");
        Process process = builder.start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the process ended").isTrue();

        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readAllLines(work.resolve("err.txt")).stream().filter(l -> !l.isBlank()))
                .singleElement().isEqualTo("calleval: empty.csv: the manifest is empty: it needs a header row naming "
                        + "its columns (call_id, agent_id, start_time_utc, ...) and a row per call");
        assertThat(Files.readString(work.resolve("out.txt"))).doesNotContain("Exception").doesNotContain("\tat ");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + work.resolve("db") + ";AUTO_SERVER=TRUE", "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no job execution recorded").isZero();
        }
    }
}
