package dev.calleval.source;

import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The manifest reader over an S3 object on a real S3-compatible server (s3proxy) on loopback, through the AWS SDK. */
class S3ManifestItemReaderTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-manifests");

    private static final String MANIFEST = "s3://calleval-manifests/northwind/manifests/calls.csv";

    @BeforeAll
    static void uploadTheSampleManifest() {
        s3.put("northwind/manifests/calls.csv", Path.of("sample-data/manifests/calls.csv"));
    }

    private static ManifestItemReader reader(String location, boolean resume) {
        return new ManifestItemReader(new InputLocation.S3(S3Location.parse(location)), s3.storage(), location, ColumnMapping.identity(), resume);
    }

    @Test
    void readsEveryRowWithS3ProvenanceAndPathsResolvedAgainstTheManifestsPrefix() {
        List<CallRecord> records = readAll(reader(MANIFEST, true), new ExecutionContext());

        assertThat(records).hasSize(15);
        assertThat(records.get(0).source()).hasToString(MANIFEST + ":2");
        assertThat(records.get(14).source()).hasToString(MANIFEST + ":16");
        CallRecord first = records.get(0);
        assertThat(first.value("recording")).contains("../recordings/nw-2026-11-19-0001.wav");
        assertThat(first.resolve(first.value("recording").orElseThrow()))
                .hasToString("s3://calleval-manifests/northwind/recordings/nw-2026-11-19-0001.wav");
        assertThat(first.resolve("s3://other-bucket/x.wav")).hasToString("s3://other-bucket/x.wav");
        assertThat(first.base()).hasToString("s3://calleval-manifests/northwind/manifests/");
        assertThatThrownBy(first::baseDirectory).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void restartSkipsTheRecordsAlreadyReadAsTheLocalReaderDoes() {
        ExecutionContext context = new ExecutionContext();
        ManifestItemReader first = reader(MANIFEST, true);
        first.open(context);
        for (int i = 0; i < 5; i++) {
            assertThat(first.read()).isNotNull();
        }
        first.update(context);
        first.close(); // before the end: the connection is aborted, not drained

        assertThat(context.getLong("manifest.records")).isEqualTo(5);
        assertThat(context.getString("manifest.etag")).isNotBlank();
        List<CallRecord> rest = readAll(reader(MANIFEST, true), context);
        assertThat(rest).hasSize(10);
        assertThat(rest.get(0).callId()).contains("nw-2026-11-19-0006");
        assertThat(rest.get(0).source()).hasToString(MANIFEST + ":7");
        assertThat(context.getLong("manifest.records")).isEqualTo(15);
    }

    @Test
    void aManifestReplacedBeforeTheRestartIsReadFromTheTop() throws IOException {
        String key = "replaced/calls.csv";
        String location = "s3://calleval-manifests/" + key;
        s3.put(key, "call_id,agent_id\na-1,1\na-2,1\na-3,1\n");
        ExecutionContext context = new ExecutionContext();
        ManifestItemReader first = reader(location, true);
        first.open(context);
        first.read();
        first.read();
        first.update(context);
        first.close();

        s3.put(key, "call_id,agent_id\nb-1,1\nb-2,1\nb-3,1\n");
        List<CallRecord> after = readAll(reader(location, true), context);
        assertThat(after).extracting(r -> r.callId().orElseThrow()).containsExactly("b-1", "b-2", "b-3");
    }

    @Test
    void aMissingManifestObjectFailsNamingIt() {
        assertThatThrownBy(() -> reader("s3://calleval-manifests/nope/calls.csv", true).open(new ExecutionContext()))
                .isInstanceOf(ManifestException.class)
                .hasMessage("s3://calleval-manifests/nope/calls.csv: manifest not found in S3: no such object (404 NoSuchKey)");
    }

    private static List<CallRecord> readAll(ManifestItemReader reader, ExecutionContext context) {
        List<CallRecord> records = new ArrayList<>();
        reader.open(context);
        try {
            CallRecord record;
            while ((record = reader.read()) != null) {
                records.add(record);
            }
            reader.update(context);
        } finally {
            reader.close();
        }
        return records;
    }
}
