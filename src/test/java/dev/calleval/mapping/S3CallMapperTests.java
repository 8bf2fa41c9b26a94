package dev.calleval.mapping;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3TestServer;
import dev.calleval.source.CallRecord;
import dev.calleval.source.ColumnMapping;
import dev.calleval.source.InputLocation;
import dev.calleval.source.ManifestItemReader;
import dev.calleval.source.SourceRef;
import dev.calleval.transcript.SpeakerMapping;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mapping rows whose files are in S3 (a real S3-compatible server, s3proxy, on loopback, through the AWS SDK):
 * relative paths resolve against the manifest's prefix, recordings become presigned GET URLs (or inline), and the
 * sample manifest maps to the same requests from S3 as from disk.
 */
class S3CallMapperTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-mapping");

    private static final Path SAMPLES = Path.of("sample-data");
    private static final String MANIFEST = "s3://calleval-mapping/northwind/manifests/calls.csv";
    /** A key whose presigned URL is over 2083 characters: 12 folders of 60 spaces, each %20 in the URL. */
    private static final String LONG_KEY = "long/" + ("d" + " ".repeat(60) + "/").repeat(12) + "r.wav";

    private static final MappingDefaults DEFAULTS = new MappingDefaults("s3-test", "1234", null, List.of(), List.of(), List.of(),
            null, null, null, null, Map.of(), 50L << 20, null, SpeakerMapping.defaults());

    @BeforeAll
    static void uploadTheSampleData() throws IOException {
        for (String folder : List.of("manifests", "recordings", "transcripts", "sidecars")) {
            try (Stream<Path> files = Files.list(SAMPLES.resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    s3.put("northwind/" + folder + "/" + file.getFileName(), file);
                }
            }
        }
        s3.put(LONG_KEY, SAMPLES.resolve("recordings/nw-2026-11-19-0001.wav"));
    }

    private static CallMapper mapper(Duration ttl, S3Recordings.UrlTooLong urlTooLong, long maxBytes) {
        MappingDefaults defaults = new MappingDefaults("s3-test", "1234", null, List.of(), List.of(), List.of(), null, null, null, null,
                Map.of(), maxBytes, null, SpeakerMapping.defaults());
        return new CallMapper(defaults, new S3Recordings(s3.storage(), ttl, urlTooLong));
    }

    private static CallMapper mapper() {
        return mapper(Duration.ofMinutes(10), S3Recordings.UrlTooLong.REJECT, 50L << 20);
    }

    private static List<CallRecord> read(ManifestItemReader reader) {
        List<CallRecord> rows = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            CallRecord row;
            while ((row = reader.read()) != null) {
                rows.add(row);
            }
        } finally {
            reader.close();
        }
        return rows;
    }

    /** A row of a manifest at {@code s3://calleval-mapping/northwind/manifests/test.csv}. */
    private static CallRecord row(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("call_id", "c-1", "start_time_utc", "2026-11-19T08:00:00Z",
                "transcript", "../transcripts/nw-2026-11-19-0001.json"));
        values.putAll(extra);
        return new CallRecord(new SourceRef("s3://calleval-mapping/northwind/manifests/test.csv", 2),
                new InputLocation.S3(new S3Location("calleval-mapping", "northwind/manifests/")), values, null);
    }

    @Test
    void theSampleManifestMapsFromS3AsFromDiskWithPresignedRecordingUrls() {
        List<CallRecord> fromS3 = read(new ManifestItemReader(new InputLocation.S3(S3Location.parse(MANIFEST)), s3.storage(), MANIFEST,
                ColumnMapping.identity(), false));
        List<CallRecord> fromDisk = read(new ManifestItemReader(SAMPLES.resolve("manifests/calls.csv"), "calls.csv", ColumnMapping.identity()));
        CallMapper s3Mapper = mapper();
        CallMapper localMapper = new CallMapper(DEFAULTS);
        assertThat(fromS3).hasSameSizeAs(fromDisk).hasSize(15);
        for (int i = 0; i < fromS3.size(); i++) {
            MappedCall.Accepted remote = (MappedCall.Accepted) s3Mapper.process(fromS3.get(i));
            MappedCall.Accepted local = (MappedCall.Accepted) localMapper.process(fromDisk.get(i));
            EvaluateRequest request = remote.request();
            String key = "northwind/recordings/" + fromDisk.get(i).callId().orElseThrow() + ".wav";
            assertThat(request.recordingUrl()).startsWith(s3.endpoint() + "/calleval-mapping/" + key + "?")
                    .contains("X-Amz-Expires=600").hasSizeLessThanOrEqualTo(2083);
            assertThat(request.recordingBase64()).isNull();
            assertThat(local.request().recordingBase64()).isNotNull();
            assertThat(request.withRecordingUrl(null)).as("row %d: all but the recording", i + 2)
                    .isEqualTo(local.request().withRecordingUrl(null));
            assertThat(remote.source()).hasToString(MANIFEST + ":" + (i + 2));
        }
    }

    @Test
    void thePresignedUrlFetchesTheRecordingAndTheFingerprintFollowsTheObjectNotTheSignature() throws Exception {
        s3.put("northwind/recordings/fp.wav", SAMPLES.resolve("recordings/nw-2026-11-19-0002.wav"));
        CallRecord row = row(Map.of("recording", "../recordings/fp.wav"));
        MappedCall.Accepted first = (MappedCall.Accepted) mapper().process(row);
        MappedCall.Accepted again = (MappedCall.Accepted) mapper(Duration.ofMinutes(20), S3Recordings.UrlTooLong.REJECT, 50L << 20).process(row);

        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(first.request().recordingUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(Files.readAllBytes(SAMPLES.resolve("recordings/nw-2026-11-19-0002.wav")));
        assertThat(again.request().recordingUrl()).isNotEqualTo(first.request().recordingUrl()).contains("X-Amz-Expires=1200");
        assertThat(again.fingerprint()).as("another signature of the same object").isEqualTo(first.fingerprint());

        s3.put("northwind/recordings/fp.wav", SAMPLES.resolve("recordings/nw-2026-11-19-0003.wav"));
        assertThat(((MappedCall.Accepted) mapper().process(row)).fingerprint()).as("the object was replaced").isNotEqualTo(first.fingerprint());
    }

    @Test
    void aMissingOrNonAudioObjectIsRejectedNamingThePathAndTheS3Location() {
        Problem missing = onlyProblem(mapper().process(row(Map.of("recording", "../recordings/missing.wav"))));
        assertThat(missing.field()).isEqualTo("recording");
        assertThat(missing.reason()).isEqualTo("object not found: ../recordings/missing.wav (s3://calleval-mapping/northwind/recordings/missing.wav)");

        Problem notAudio = onlyProblem(mapper().process(row(Map.of("recording", "s3://calleval-mapping/northwind/sidecars/nw-2026-11-19-0001.json"))));
        assertThat(notAudio.reason()).isEqualTo("s3://calleval-mapping/northwind/sidecars/nw-2026-11-19-0001.json is not a WAV, MP3, MP4 or M4A"
                + " file (its first bytes match none of them)");

        Problem sidecar = onlyProblem(mapper().process(row(Map.of("recording", "../recordings/nw-2026-11-19-0001.wav", "sidecar", "nope.json"))));
        assertThat(sidecar.field()).isEqualTo("sidecar");
        assertThat(sidecar.reason()).isEqualTo("object not found: nope.json (s3://calleval-mapping/northwind/manifests/nope.json)");

        Problem transcript = onlyProblem(mapper().process(row(Map.of("transcript", "../../../above.json"))));
        assertThat(transcript.field()).isEqualTo("transcript");
        assertThat(transcript.reason()).contains("goes above the bucket's root");

        MappedCall noS3 = new CallMapper(DEFAULTS).process(row(Map.of("recording", "../recordings/nw-2026-11-19-0001.wav")));
        assertThat(((MappedCall.Rejected) noS3).problems()).extracting(Problem::field).containsExactly("recording", "transcript");
        assertThat(((MappedCall.Rejected) noS3).reason()).contains("is in S3, which this mapping cannot read (no S3 access configured)");
    }

    @Test
    void aPresignedUrlOverTheApisLimitIsRejectedOrSentInlineAsConfigured() throws IOException {
        CallRecord row = row(Map.of("recording", "s3://calleval-mapping/" + LONG_KEY));
        Problem tooLong = onlyProblem(mapper().process(row));
        assertThat(tooLong.field()).isEqualTo("recording");
        assertThat(tooLong.reason()).matches("the presigned URL for s3://calleval-mapping/long/.* is \\d{4} characters, over the API's 2083 for "
                + "recording_url \\(temporary credentials add a long X-Amz-Security-Token\\); set defaults.recording-url-too-long: base64 .*");

        EvaluateRequest inline = ((MappedCall.Accepted) mapper(Duration.ofMinutes(10), S3Recordings.UrlTooLong.BASE64, 50L << 20).process(row)).request();
        assertThat(inline.recordingUrl()).isNull();
        assertThat(inline.recordingBase64()).isNotNull();
        assertThat(inline.recordingBase64().mediaType()).isEqualTo("audio/wav");
        assertThat(inline.recordingBase64().file()).isNull();
        byte[] wav = Files.readAllBytes(SAMPLES.resolve("recordings/nw-2026-11-19-0001.wav"));
        JsonNode body = BluejayJson.mapper().readTree(BluejayJson.mapper().writeValueAsBytes(inline));
        assertThat(body.path("recording_base64").asString()).isEqualTo("data:audio/wav;base64," + Base64.getEncoder().encodeToString(wav));

        Problem overCap = onlyProblem(mapper(Duration.ofMinutes(10), S3Recordings.UrlTooLong.BASE64, 1000).process(row));
        assertThat(overCap.reason()).contains("over the cap of 1000 bytes for inline recordings (defaults.max-recording-size)");
    }

    private static Problem onlyProblem(MappedCall mapped) {
        assertThat(mapped).isInstanceOf(MappedCall.Rejected.class);
        List<Problem> problems = ((MappedCall.Rejected) mapped).problems();
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }
}
