package dev.calleval.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link S3Upload}: a stream of unknown length written to a real S3-compatible server (s3proxy) through the AWS SDK. */
class S3UploadTests {
    @RegisterExtension
    static final S3TestServer s3 = S3TestServer.inMemory("calleval-upload");

    @Test
    void aStreamLongerThanOnePartIsSentAsAMultipartUploadAndAppearsWholeOnClose() throws IOException {
        byte[] content = new byte[2 * S3Upload.MIN_PART_SIZE + 12_345];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) ('a' + i % 26);
        }
        S3Upload upload = new S3Upload(s3.storage().client(), s3.location("exports/big.csv"), "text/csv", S3Upload.MIN_PART_SIZE);
        upload.write(content[0]); // a single byte, then arrays
        for (int i = 1; i < content.length; i += 100_000) {
            upload.write(content, i, Math.min(100_000, content.length - i));
        }
        assertThat(s3.keys("exports/")).as("nothing visible before close").isEmpty();
        upload.close();
        assertThat(upload.toString()).contains("3 parts sent");
        assertThat(s3.get("exports/big.csv")).isEqualTo(content);
        assertThat(s3.storage().head(s3.location("exports/big.csv")).contentType()).isEqualTo("text/csv");
    }

    @Test
    void aSmallStreamIsOnePutAndAnAbortedOneLeavesNoObject() throws IOException {
        try (S3Upload small = s3.storage().openUpload(s3.location("small/one.jsonl"), null)) {
            small.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(s3.getText("small/one.jsonl")).isEqualTo("{\"a\":1}\n");

        S3Upload aborted = new S3Upload(s3.storage().client(), s3.location("small/aborted.csv"), null, S3Upload.MIN_PART_SIZE);
        aborted.write(new byte[S3Upload.MIN_PART_SIZE + 10]); // one part sent
        aborted.abort();
        aborted.close();
        assertThat(s3.keys("small/")).containsExactly("small/one.jsonl");
    }
}
