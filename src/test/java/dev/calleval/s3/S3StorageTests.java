package dev.calleval.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** calleval's {@link S3Storage} against a real S3-compatible server (s3proxy) on loopback, through the real AWS SDK. */
class S3StorageTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-storage");

    @TempDir
    Path work;

    @Test
    void uploadsAndStreamsAnObjectThroughTheBean() throws Exception {
        Path file = Files.writeString(work.resolve("calls.csv"), "call_id\nc-1\n");
        new ApplicationContextRunner()
                .withUserConfiguration(S3Storage.class)
                .withPropertyValues("calleval.s3.endpoint=" + s3.endpoint(), "calleval.s3.path-style=true",
                        "calleval.s3.access-key-id=" + S3TestServer.ACCESS_KEY_ID,
                        "calleval.s3.secret-access-key=" + S3TestServer.SECRET_ACCESS_KEY)
                .run(context -> {
                    S3Storage storage = context.getBean(S3Storage.class);
                    storage.upload(file, s3.location("in/calls.csv"), "text/csv");
                    try (ResponseInputStream<GetObjectResponse> in = storage.open(s3.location("in/calls.csv"))) {
                        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("call_id\nc-1\n");
                        assertThat(in.response().eTag()).isNotBlank();
                        assertThat(in.response().contentType()).isEqualTo("text/csv");
                    }
                    assertThat(storage.head(s3.location("in/calls.csv")).contentLength()).isEqualTo(12);
                });
        assertThat(s3.keys("in/")).containsExactly("in/calls.csv");
        assertThat(s3.getText("in/calls.csv")).isEqualTo("call_id\nc-1\n");
    }

    @Test
    void presignedGetUrlIsFetchableWithoutCredentials() throws Exception {
        s3.put("rec/one.wav", "RIFF....WAVE");
        URI url = s3.storage().presignGet(s3.location("rec/one.wav"), Duration.ofMinutes(5)).toURI();
        assertThat(url.toString()).startsWith(s3.endpoint() + "/" + s3.bucket() + "/rec/one.wav?").contains("X-Amz-Expires=300");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("RIFF....WAVE");

        URI missing = s3.storage().presignGet(s3.location("rec/missing.wav"), Duration.ofMinutes(5)).toURI();
        assertThat(http.send(HttpRequest.newBuilder(missing).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    @Test
    void aLongReadStreamsOneVersionAndStopsEarlyWithoutDrainingTheRest() throws Exception {
        byte[] big = new byte[4 * 1024 * 1024];
        big[big.length - 1] = 7;
        s3.put("stream/big.bin", big);
        String eTag;
        try (S3ObjectInputStream in = s3.storage().openStream(s3.location("stream/big.bin"))) {
            assertThat(in.size()).isEqualTo(big.length);
            assertThat(in.readNBytes(100)).hasSize(100);
            assertThat(in.position()).isEqualTo(100);
            eTag = in.eTag();
        }
        try (S3ObjectInputStream in = s3.storage().openStream(s3.location("stream/big.bin"), eTag)) {
            assertThat(in.readAllBytes()).hasSize(big.length).endsWith((byte) 7);
        }
        s3.put("stream/big.bin", "replaced");
        assertThatThrownBy(() -> s3.storage().openStream(s3.location("stream/big.bin"), eTag))
                .isInstanceOf(S3AccessException.class)
                .hasMessageContaining("the object was replaced since it was first read");
    }

    @Test
    void readStartGivesTheFirstBytesSizeAndETagInOneRequest() {
        s3.put("start/one.wav", "RIFF\0\0\0\0WAVEfmt more bytes after the head");
        S3Storage.ObjectStart start = s3.storage().readStart(s3.location("start/one.wav"), 16);
        assertThat(new String(start.head(), StandardCharsets.ISO_8859_1)).isEqualTo("RIFF\0\0\0\0WAVEfmt ");
        assertThat(start.size()).isEqualTo("RIFF\0\0\0\0WAVEfmt more bytes after the head".length());
        assertThat(start.eTag()).isNotBlank();
        s3.put("start/empty.wav", new byte[0]);
        assertThat(s3.storage().readStart(s3.location("start/empty.wav"), 16).size()).isZero();
    }

    @Test
    void aMissingObjectIsANotFoundNamingIt() {
        assertThatThrownBy(() -> s3.storage().open(s3.location("nope/calls.csv")))
                .isInstanceOf(S3AccessException.class)
                .hasMessage("cannot read s3://calleval-storage/nope/calls.csv: no such object (404 NoSuchKey)")
                .satisfies(e -> assertThat(((S3AccessException) e).notFound()).isTrue());
        assertThatThrownBy(() -> s3.storage().head(new S3Location("no-such-bucket", "k")))
                .isInstanceOf(S3AccessException.class)
                .hasMessageStartingWith("cannot find s3://no-such-bucket/k: ");
    }

    @Test
    void contextStartsWithoutRegionCredentialsOrValidSettingsAndBuildsNothingUntilUsed() {
        new ApplicationContextRunner()
                .withUserConfiguration(S3Storage.class)
                .withPropertyValues("calleval.s3.presign-ttl=2h", "calleval.s3.endpoint=localhost:9000")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    S3Storage storage = context.getBean(S3Storage.class);
                    assertThat(storage.settings().presignTtl()).isEqualTo(Duration.ofHours(2));
                    assertThatThrownBy(storage::client).isInstanceOf(S3ConfigurationException.class)
                            .hasMessageContaining("calleval.s3.endpoint (CALLEVAL_S3_ENDPOINT) 'localhost:9000'");
                });
    }

    @Test
    void settingsRejectHalfAPairOfKeysAndABadTtlWithoutShowingTheSecret() {
        assertThatThrownBy(() -> new S3Settings("", "", false, Duration.ofHours(1), "", "s3cr3t").check())
                .isInstanceOf(S3ConfigurationException.class)
                .hasMessageContaining("must be set together")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new S3Settings("", "", false, Duration.ofDays(8), "", "").check())
                .isInstanceOf(S3ConfigurationException.class)
                .hasMessageContaining("7d");
        assertThat(new S3Settings("eu-west-1", "http://127.0.0.1:9000", true, Duration.ofHours(1), "AKIDEXAMPLE", "s3cr3t"))
                .asString()
                .contains("AKIDEXAMPLE/****", "http://127.0.0.1:9000")
                .doesNotContain("s3cr3t");
        assertThat(new S3Storage(s3.settings())).asString().doesNotContain(S3TestServer.SECRET_ACCESS_KEY);
    }
}
