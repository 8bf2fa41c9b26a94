package dev.calleval.bluejay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 150 MB recording sent inline ({@code recording_base64}, 200 MB of base64) by a client in a child JVM limited to
 * a 64 MB heap: the body can only be produced if it is streamed from the file, never held whole.
 */
class LargeRecordingStreamingTests {
    private static final long SIZE = 150L * 1024 * 1024;

    @TempDir
    Path work;

    @Test
    void aRecordingLargerThanTheHeapIsStreamedIntoTheRequestBody() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                StreamedBodyProbe.class.getName(), work.resolve("big.wav").toString(), Long.toString(SIZE))
                .redirectErrorStream(true).start();
        boolean ended = child.waitFor(5, TimeUnit.MINUTES);
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            child.destroyForcibly();
        }
        assertThat(ended).as("the child JVM ended").isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        long base64 = 4 * ((SIZE + 2) / 3);
        assertThat(out).contains("base64=" + base64 + " ");
        long body = Long.parseLong(out.replaceAll("(?s).*body=(\\d+) .*", "$1"));
        assertThat(body).isBetween(base64, base64 + 2_000);
        long maxHeap = Long.parseLong(out.replaceAll("(?s).*maxHeap=(\\d+).*", "$1").strip());
        assertThat(maxHeap).as("the heap is smaller than the body").isLessThan(base64 / 2);
    }
}
