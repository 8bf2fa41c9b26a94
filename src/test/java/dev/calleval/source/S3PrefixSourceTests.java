package dev.calleval.source;

import dev.calleval.CommandLine;
import dev.calleval.jobfile.JobDefinition;
import dev.calleval.jobfile.JobDefinitions;
import dev.calleval.mapping.CallMapper;
import dev.calleval.mapping.MappedCall;
import dev.calleval.mapping.MappingDefaults;
import dev.calleval.s3.S3TestServer;
import dev.calleval.transcript.SpeakerMapping;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code s3-prefix} source through the real AWS SDK against s3proxy on loopback: grouping, rejects, pagination,
 * date templates, source ids, and a full run of the sample data on the sandbox.
 */
class S3PrefixSourceTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calls");

    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] WAV = wav();

    @TempDir
    Path work;

    private static byte[] wav() {
        try {
            return Files.readAllBytes(SAMPLE_DATA.resolve("recordings/nw-2026-11-19-0001.wav"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] transcript() throws IOException {
        return Files.readAllBytes(SAMPLE_DATA.resolve("transcripts/nw-2026-11-19-0001.json"));
    }

    private static byte[] sidecar() throws IOException {
        return Files.readAllBytes(SAMPLE_DATA.resolve("s3-prefix/nw-2026-11-19-0001.meta.json"));
    }

    private static List<CallRecord> readAll(String prefix, int pageSize) throws Exception {
        return readAll(prefix, pageSize, null);
    }

    /** Reads every group; {@code mapped} (when given) gets each one mapped while its downloaded files still exist. */
    private static List<CallRecord> readAll(String prefix, int pageSize, Map<String, MappedCall> mapped) throws Exception {
        CallMapper mapper = mapper();
        S3PrefixItemReader reader = new S3PrefixItemReader(s3.storage(), s3.location(prefix), pageSize, 1000, false);
        List<CallRecord> out = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            CallRecord r;
            while ((r = reader.read()) != null) {
                out.add(r);
                if (mapped != null) {
                    mapped.put(r.source().toString().substring(("s3://calls/" + prefix).length()), mapper.process(r));
                }
            }
        } finally {
            reader.close();
        }
        return out;
    }

    private static CallMapper mapper() {
        return new CallMapper(new MappingDefaults("prefix-test", null, null, List.of(), List.of(), List.of(), null, null, null, null,
                Map.of(), 50_000_000L, null, new SpeakerMapping(SpeakerMapping.Strategy.AUTO, Map.of(), Map.of(),
                dev.calleval.bluejay.ParticipantRole.AGENT, List.of())),
                new dev.calleval.mapping.S3Recordings(s3.storage(), Duration.ofHours(1), dev.calleval.mapping.S3Recordings.UrlTooLong.REJECT));
    }

    @Test
    void groupsPairRecordingTranscriptAndSidecarAndBadGroupsAreRejectedWithKeysAndReasons() throws Exception {
        String p = "pairing/";
        s3.put(p + "good.wav", WAV);
        s3.put(p + "good.json", transcript());
        s3.put(p + "good.meta.json", sidecar());
        s3.put(p + "good.n.wav", WAV); // a dotted neighbour whose keys sort in between good's: its own group
        s3.put(p + "no-transcript.wav", WAV);
        s3.put(p + "no-transcript.meta.json", sidecar());
        s3.put(p + "no-recording.json", transcript());
        s3.put(p + "no-recording.meta.json", sidecar());
        s3.put(p + "bad-sidecar.wav", WAV);
        s3.put(p + "bad-sidecar.json", transcript());
        s3.put(p + "bad-sidecar.meta.json", "{\"start_time_utc\": ".getBytes(StandardCharsets.UTF_8));
        s3.put(p + "no-start.wav", WAV);
        s3.put(p + "no-start.json", transcript());
        s3.put(p + "no-start.meta.json", "{\"agent_id\": \"1234\"}".getBytes(StandardCharsets.UTF_8));
        s3.put(p + "not-audio.wav", "RIFX this is no audio".getBytes(StandardCharsets.UTF_8));
        s3.put(p + "not-audio.json", transcript());
        s3.put(p + "not-audio.meta.json", sidecar());

        Map<String, MappedCall> mapped = new java.util.HashMap<>();
        List<CallRecord> records = readAll(p, 1000, mapped);

        assertThat(records).extracting(r -> r.source().toString()).containsExactlyInAnyOrder(
                "s3://calls/pairing/good", "s3://calls/pairing/good.n", "s3://calls/pairing/no-transcript",
                "s3://calls/pairing/no-recording", "s3://calls/pairing/bad-sidecar", "s3://calls/pairing/no-start",
                "s3://calls/pairing/not-audio");
        assertThat(mapped.get("good")).isInstanceOf(MappedCall.Accepted.class);
        MappedCall.Accepted good = (MappedCall.Accepted) mapped.get("good");
        assertThat(good.sourceId()).matches("calls/pairing/good#[0-9a-f]{16}");
        assertThat(good.request().recordingUrl()).startsWith(s3.endpoint()).contains("pairing/good.wav").contains("X-Amz-Signature");
        assertThat(good.request().transcript()).isNotEmpty();
        assertThat(good.request().startTimeUtc()).isEqualTo(Instant.parse("2026-11-19T08:02:11Z"));
        assertThat(good.request().toolCalls()).isNotEmpty();
        assertThat(reason(mapped.get("good.n"))).contains("no transcript").contains("s3://calls/pairing/good.n.wav");
        assertThat(reason(mapped.get("no-transcript"))).contains("no transcript")
                .contains("s3://calls/pairing/no-transcript.wav").contains("s3://calls/pairing/no-transcript.meta.json");
        assertThat(reason(mapped.get("no-recording"))).contains("no recording").contains("s3://calls/pairing/no-recording.json");
        assertThat(reason(mapped.get("bad-sidecar"))).contains("bad-sidecar.meta.json");
        assertThat(reason(mapped.get("no-start"))).contains("start_time_utc is empty");
        assertThat(reason(mapped.get("not-audio"))).contains("s3://calls/pairing/not-audio.wav").contains("not a WAV, MP3, MP4 or M4A");

        // read again: the URL is signed anew, but the request's fingerprint stands for the object and its ETag
        Map<String, MappedCall> again = new java.util.HashMap<>();
        readAll(p, 1000, again);
        MappedCall.Accepted goodAgain = (MappedCall.Accepted) again.get("good");
        assertThat(goodAgain.fingerprint()).isEqualTo(good.fingerprint());
    }

    private static String reason(MappedCall call) {
        assertThat(call).isInstanceOf(MappedCall.Rejected.class);
        return ((MappedCall.Rejected) call).reason();
    }

    @Test
    void listingPagesThroughMoreObjectsThanOnePageAndKeepsGroupsWhole() throws Exception {
        String p = "pages/";
        for (int i = 0; i < 7; i++) {
            s3.put(p + "c" + i + ".wav", WAV);
            s3.put(p + "c" + i + ".json", transcript());
            s3.put(p + "c" + i + ".meta.json", sidecar());
        }
        List<CallRecord> records = readAll(p, 2); // 21 objects in pages of 2: groups span page boundaries

        assertThat(records).hasSize(7).allSatisfy(r -> {
            assertThat(r.problem()).isNull();
            assertThat(r.values()).containsKeys("recording", "transcript", "sidecar", "start_time_utc");
        });
    }

    @Test
    void aRestartWithResumeSkipsTheGroupsAlreadyRead() throws Exception {
        String p = "restart/";
        for (int i = 0; i < 4; i++) {
            s3.put(p + "r" + i + ".wav", WAV);
            s3.put(p + "r" + i + ".json", transcript());
        }
        S3PrefixItemReader first = new S3PrefixItemReader(s3.storage(), s3.location(p), 3, 10, true);
        ExecutionContext context = new ExecutionContext();
        first.open(context);
        assertThat(first.read().source().toString()).isEqualTo("s3://calls/restart/r0");
        assertThat(first.read().source().toString()).isEqualTo("s3://calls/restart/r1");
        first.update(context);
        first.close();

        S3PrefixItemReader restarted = new S3PrefixItemReader(s3.storage(), s3.location(p), 3, 10, true);
        restarted.open(context);
        try {
            assertThat(restarted.read().source().toString()).isEqualTo("s3://calls/restart/r2");
            assertThat(restarted.read().source().toString()).isEqualTo("s3://calls/restart/r3");
            assertThat(restarted.read()).isNull();
        } finally {
            restarted.close();
        }
    }

    @Test
    void aChangedObjectIsANewSourceIdAndAnUnchangedOneKeepsItsId() throws Exception {
        String p = "etag/";
        s3.put(p + "a.wav", WAV);
        s3.put(p + "a.json", transcript());
        s3.put(p + "a.meta.json", sidecar());
        String first = readAll(p, 1000).get(0).callId().orElseThrow();
        assertThat(readAll(p, 1000).get(0).callId()).contains(first);

        s3.put(p + "a.json", (new String(transcript(), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));

        assertThat(readAll(p, 1000).get(0).callId().orElseThrow()).isNotEqualTo(first).startsWith("calls/etag/a#");
    }

    @Test
    void theDateTemplateTakesAnExplicitDateOrDefaultsToYesterdayInTheZone() throws Exception {
        Path job = work.resolve("t.yaml");
        Files.writeString(job, """
                name: t
                source:
                  type: s3-prefix
                  location: s3://calls/calls/{date:yyyy/MM/dd}/
                  zone: Pacific/Auckland
                """);
        JobDefinition definition = new JobDefinitions(work).load(job.toString());
        Clock clock = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC); // already the 21st in Auckland

        assertThat(((JobDefinition.Evaluate) definition.withParameters(Map.of("date", "2026-11-19"), clock)).source().resolvedLocation())
                .isEqualTo("s3://calls/calls/2026/11/19/");
        assertThat(((JobDefinition.Evaluate) definition.withParameters(Map.of(), clock)).source().resolvedLocation())
                .isEqualTo("s3://calls/calls/2026/11/20/");
        assertThat(PrefixTemplate.resolve("s3://b/{date}/x/", LocalDate.of(2026, 1, 2)).toString()).isEqualTo("s3://b/2026-01-02/x/");
        assertThatThrownBy(() -> definition.withParameters(Map.of("date", "19.11.2026"), clock))
                .hasMessageContaining("'19.11.2026' is not a date");
        assertThatThrownBy(() -> definition.withParameters(Map.of("day", "x"), clock)).hasMessageContaining("unknown job parameter 'day'");
    }

    /** Uploads the sample calls under {@code calls/2026/11/19/}, as sample-data/s3-prefix/README.md does with the AWS CLI. */
    private static void uploadSample(String prefix) throws IOException {
        try (Stream<Path> metas = Files.list(SAMPLE_DATA.resolve("s3-prefix"))) {
            for (Path meta : metas.filter(f -> f.getFileName().toString().endsWith(".meta.json")).toList()) {
                String id = meta.getFileName().toString().replace(".meta.json", "");
                s3.put(prefix + id + ".meta.json", Files.readAllBytes(meta));
                s3.put(prefix + id + ".wav", Files.readAllBytes(SAMPLE_DATA.resolve("recordings/" + id + ".wav")));
                s3.put(prefix + id + ".json", Files.readAllBytes(SAMPLE_DATA.resolve("transcripts/" + id + ".json")));
            }
        }
    }

    @Test
    void aRunOverTheSamplePrefixEvaluatesEveryCallAndARerunSendsNothing() throws Exception {
        uploadSample("calls/2026/11/19/");
        s3.put("calls/2026/11/19/orphan.wav", WAV);
        Path job = work.resolve("s3-sample.yaml");
        Files.writeString(job, """
                name: s3-sample
                source:
                  type: s3-prefix
                  location: s3://calls/calls/{date:yyyy/MM/dd}/
                  page-size: 5
                submit:
                  chunk-size: 4
                report:
                  directory: %s
                """.formatted(work.resolve("reports")));
        String db = "jdbc:h2:mem:s3prefix-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        Map<String, Object> props = s3.properties();

        CommandLine.Result validate = CommandLine.run(db, props, "validate", job.toString(), "--date", "2026-11-19");
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("s3://calls/calls/2026/11/19/: 16 row(s), 15 valid, 1 invalid");

        assertThat(CommandLine.run(db, props, "run", job.toString(), "--sandbox", "--date", "2026-11-19", "--wait-for-results", "1m")
                .exitCode()).isZero();
        JsonNode first = summary(1);
        assertThat(first.path("rows_read").asLong()).isEqualTo(16);
        assertThat(first.path("counts").path("evaluated").asLong()).isEqualTo(15);
        assertThat(first.path("counts").path("rejected").asLong()).isEqualTo(1);
        assertThat(first.path("counts_add_up").asBoolean()).isTrue();
        List<CSVRecord> rejects = csv(1, "rejects.csv");
        assertThat(rejects).hasSize(1);
        assertThat(rejects.get(0).toMap().values()).anySatisfy(v -> assertThat(v).contains("s3://calls/calls/2026/11/19/orphan"));

        assertThat(CommandLine.run(db, props, "run", job.toString(), "--sandbox", "--param", "date=2026-11-19", "--wait-for-results", "5s")
                .exitCode()).isZero();
        JsonNode second = summary(2);
        assertThat(second.path("submitted_this_run").asLong()).isZero();
        assertThat(second.path("requests").path("attempts").asLong()).isZero();
        assertThat(second.path("counts").path("already_done").asLong()).isEqualTo(15);
    }

    private JsonNode summary(long execution) throws IOException {
        return JSON.readTree(work.resolve("reports/s3-sample/" + execution + "/summary.json").toFile());
    }

    private List<CSVRecord> csv(long execution, String file) throws IOException {
        try (Reader in = Files.newBufferedReader(work.resolve("reports/s3-sample/" + execution + "/" + file))) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }
}
