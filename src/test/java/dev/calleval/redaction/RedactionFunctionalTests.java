package dev.calleval.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.CommandLine;
import dev.calleval.sandbox.LoggedRequest;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A job with {@code redaction:} on, run as a user runs it ({@code run JOB} through the command line, the sandbox as a
 * real HTTP server on loopback, an H2 file database): personal data planted in transcripts, tool calls, events,
 * metadata and participants never reaches the API, nor the reports, the logs or the database; near-misses arrive as
 * they were; no recording is sent.
 */
class RedactionFunctionalTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SAMPLE_RECORDING = Path.of("sample-data/recordings/nw-2026-11-19-0001.wav").toAbsolutePath();

    /** Personal data planted in the calls: none of it may leave or be stored. */
    private static final List<String> PLANTED = List.of(
            "maria.alvarez@example.com", "j.okafor@company.co.uk", // e-mail
            "(415) 555-2671", "+44 20 7946 0958", "030 12345678", "+91 98765 43210", "(11) 91234-5678", "+61 412 345 678", "06 12 34 56 78",
            "4111 1111 1111 1111", "378282246310005", "5555-5555-5555-4444", // cards (Visa, Amex, Mastercard)
            "219-09-9999", "078-05-1120", // SSN
            "DE89 3704 0044 0532 0130 00", "GB29NWBK60161331926819", // IBAN
            "203.0.113.45", "2001:db8::1", // IP
            "Alvarez", "Okafor", "James", // customer names (in utterances; Maria also as a participant)
            "ACC-12345678"); // the job's own pattern
    /** Look-alikes that are not personal data: each must arrive unchanged. */
    private static final List<String> NEAR_MISSES = List.of("NW-48172", "2026-11-16", "$1,250.00", "10:30", "version 2.14.1",
            "4111 1111 1111 1112", "order 48213907");

    @TempDir
    Path work;

    @Test
    void plantedPersonalDataNeverReachesTheApiNorAnythingStored() throws Exception {
        Path job = writeInputs();
        String databaseUrl = "jdbc:h2:file:" + work.resolve("db/calleval") + ";DB_CLOSE_ON_EXIT=FALSE";
        SandboxConfig config = SandboxConfig.defaults().withoutWebhook().withRecordBodies(true);
        CommandLine.Result result;
        List<String> bodies = new ArrayList<>();
        try (SandboxServer sandbox = SandboxServer.start(config)) {
            result = CommandLine.run(databaseUrl, Map.of("BLUEJAY_BASE_URL", sandbox.baseUri().toString(), "BLUEJAY_API_KEY", "test-key"),
                    "run", job.toString());
            for (LoggedRequest r : sandbox.requests()) {
                if (r.endpoint() == SandboxEndpoint.EVALUATE) {
                    bodies.add(r.body());
                }
            }
        }
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(bodies).hasSize(2);
        String sent = String.join("\n", bodies);
        for (String value : PLANTED) {
            assertThat(sent).as("sent to the API").doesNotContain(value).doesNotContain(digitsOnly(value));
        }
        for (String value : NEAR_MISSES) {
            assertThat(sent).as("near-miss sent unchanged").contains(value);
        }
        for (String body : bodies) {
            JsonNode request = JSON.readTree(body);
            assertThat(request.has("recording_url") || request.has("recording_base64")).as("no recording is sent").isFalse();
            assertThat(request.path("metadata").path("calleval_source_id").asString()).as("correlation kept").startsWith("red-");
        }
        JsonNode first = JSON.readTree(bodies.stream().filter(b -> b.contains("\"red-1\"")).findFirst().orElseThrow());
        assertThat(first.path("participants").get(1).path("name").asString()).isEqualTo("[NAME]");
        assertThat(first.path("participants").get(1).path("phone_number").asString()).isEqualTo("[PHONE]");
        assertThat(first.path("transcript").get(1).path("utterance").asString())
                .isEqualTo("Hi, this is [NAME], my email is [EMAIL] and my number is [PHONE].");
        assertThat(first.path("tool_calls").get(0).path("parameters").path("card").asString()).isEqualTo("[PAYMENT-CARD]");
        assertThat(first.path("metadata").path("account").asString()).isEqualTo("[ACCOUNT-NUMBER]");

        List<CSVRecord> calls = calls();
        assertThat(calls).extracting(c -> c.get("redactions")).containsExactly(
                "account-number=1;email=1;iban=1;ip-address=1;participant-names=5;payment-card=3;phone=4;ssn=1",
                "email=1;iban=1;ip-address=1;participant-names=4;phone=5;ssn=1");

        List<String> stored = new ArrayList<>();
        try (Stream<Path> files = Files.walk(work)) {
            files.filter(Files::isRegularFile).filter(f -> !f.startsWith(work.resolve("in"))).forEach(f -> stored.add(f.toString()));
        }
        assertThat(stored).anyMatch(f -> f.endsWith("report.html")).anyMatch(f -> f.endsWith(".mv.db"));
        String everything = result.out() + result.err() + readAll(stored);
        assertThat(readAll(stored.stream().filter(f -> f.endsWith(".mv.db")).toList())).as("the scan reads the database's text").contains("red-2");
        for (String value : PLANTED) {
            assertThat(everything).as("in the reports, the database or the output").doesNotContain(value);
        }
    }

    private static String digitsOnly(String value) {
        String digits = value.replaceAll("[^0-9]", "");
        return digits.length() >= 7 ? digits : value;
    }

    private static String readAll(List<String> files) throws IOException {
        StringBuilder all = new StringBuilder();
        for (String f : files) {
            all.append(new String(Files.readAllBytes(Path.of(f)), StandardCharsets.ISO_8859_1)).append('\n');
        }
        return all.toString();
    }

    private List<CSVRecord> calls() throws IOException {
        try (Reader in = Files.newBufferedReader(work.resolve("reports/redacted/1/calls.csv"))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }

    private Path writeInputs() throws IOException {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(SAMPLE_RECORDING, in.resolve("call.wav"));
        Files.writeString(in.resolve("t1.json"), """
                [
                 {"start_offset_ms": 0, "end_offset_ms": 2000, "speaker": "AGENT", "utterance": "Northwind Support, this is Nora."},
                 {"start_offset_ms": 2500, "end_offset_ms": 6000, "speaker": "USER",
                  "utterance": "Hi, this is Maria Alvarez, my email is maria.alvarez@example.com and my number is (415) 555-2671."},
                 {"start_offset_ms": 6500, "end_offset_ms": 9000, "speaker": "USER",
                  "utterance": "Order NW-48172 was shipped 2026-11-16, it cost $1,250.00 and I called at 10:30 from 203.0.113.45."},
                 {"start_offset_ms": 9500, "end_offset_ms": 12000, "speaker": "USER",
                  "utterance": "Charge card 4111 1111 1111 1111, not 4111 1111 1111 1112. My SSN is 219-09-9999, my IBAN DE89 3704 0044 0532 0130 00."},
                 {"start_offset_ms": 12500, "end_offset_ms": 15000, "speaker": "USER",
                  "utterance": "My London office is +44 20 7946 0958 and Berlin 030 12345678; the app says version 2.14.1."}
                ]""");
        Files.writeString(in.resolve("t2.json"), """
                [
                 {"start_offset_ms": 0, "end_offset_ms": 2000, "speaker": "AGENT", "utterance": "Hello James, how can I help?"},
                 {"start_offset_ms": 2500, "end_offset_ms": 6000, "speaker": "USER",
                  "utterance": "Mr Okafor here: reach me on +91 98765 43210 or (11) 91234-5678, or +61 412 345 678, or 06 12 34 56 78."},
                 {"start_offset_ms": 6500, "end_offset_ms": 9000, "speaker": "USER",
                  "utterance": "SSN 078-05-1120, IBAN GB29NWBK60161331926819, login from 2001:db8::1, order 48213907."}
                ]""");
        Files.writeString(in.resolve("s1.json"), """
                {"tool_calls": [{"name": "take_payment", "start_offset_ms": 9600, "description": "Charge a card",
                   "parameters": {"card": "378282246310005", "amount": "$1,250.00", "note": "backup 5555-5555-5555-4444"},
                   "output": {"status": "ok", "receipt_email": "sent", "order": "NW-48172"}}],
                 "events": [{"title": "Escalation", "start_offset_ms": 9000, "description": "Customer Maria Alvarez asked for a supervisor"}],
                 "metadata": {"account": "ACC-12345678", "region": "EU"}}""");
        Files.writeString(in.resolve("s2.json"), """
                {"tool_calls": [{"name": "send_receipt", "start_offset_ms": 7000, "parameters": {"to": "j.okafor@company.co.uk"},
                   "output": "queued"}]}""");
        Files.writeString(in.resolve("calls.csv"), """
                call_id,agent_id,start_time_utc,recording,transcript,sidecar,agent_name,customer_name,customer_phone,metadata.queue
                red-1,1234,2026-11-19T08:02:11Z,call.wav,t1.json,s1.json,Nora,Maria Alvarez,+15555550101,orders
                red-2,1234,2026-11-19T08:17:45Z,call.wav,t2.json,s2.json,Nora,James Okafor,+447911123456,billing
                """);
        Path job = work.resolve("redacted.yaml");
        Files.writeString(job, """
                name: redacted
                source:
                  location: %s
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                redaction:
                  enabled: true
                  types: [email, phone, payment-card, ssn, iban, ip-address, participant-names]
                  patterns: {account-number: 'ACC-\\d{8}'}
                """.formatted(in.resolve("calls.csv"), work.resolve("reports")));
        return job;
    }
}
