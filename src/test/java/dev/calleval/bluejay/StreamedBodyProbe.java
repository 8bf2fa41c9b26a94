package dev.calleval.bluejay;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM with a small heap by {@link LargeRecordingStreamingTests}: writes a sparse WAV of the size given,
 * sends it inline through {@link BluejayClient#evaluate} to a loopback server that counts the body's bytes and the
 * base64 characters of {@code recording_base64} as they stream in, and prints {@code body=N base64=M}. With a heap
 * smaller than the encoded recording, it can only succeed if neither side holds the body whole.
 */
public final class StreamedBodyProbe {
    private StreamedBodyProbe() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        try (RandomAccessFile wav = new RandomAccessFile(file.toFile(), "rw")) {
            wav.write("RIFF\0\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1));
            wav.setLength(size);
        }
        AtomicLong body = new AtomicLong();
        AtomicLong base64 = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] prefix = "\"recording_base64\":\"data:audio/wav;base64,".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            boolean inside = false;
            boolean done = false;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    body.addAndGet(n);
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (inside) {
                            if (b == '"') {
                                inside = false;
                                done = true;
                            } else {
                                base64.incrementAndGet();
                            }
                        } else if (!done) {
                            matched = b == prefix[matched] ? matched + 1 : (b == prefix[0] ? 1 : 0);
                            if (matched == prefix.length) {
                                inside = true;
                            }
                        }
                    }
                }
            }
            byte[] answer = "{\"status\":\"success\",\"call_id\":\"6f1c2a57-5b1e-4c8e-9a7d-2e6b1f4c9d10\",\"message\":\"ok\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        try {
            BluejayClient client = new BluejayClient(new BluejayClientSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                    ApiKey.of("probe-key"), 0, Duration.ofSeconds(5), Duration.ofMinutes(5), BluejayClientSettings.RetrySettings.defaults()));
            EvaluateRequest request = new EvaluateRequest("1234", null, Instant.parse("2026-11-19T08:00:00Z"),
                    List.of(new Participant(ParticipantRole.AGENT, true, "Nora", null), new Participant(ParticipantRole.USER, false, "Maria", null)),
                    null, new RecordingData(file, "audio/wav", size), null, null, null, null, null, null, null, "probe", null, null, null,
                    null, null, null, null, null, null);
            client.evaluate(request);
            System.out.println("body=" + body.get() + " base64=" + base64.get() + " maxHeap=" + Runtime.getRuntime().maxMemory());
        } finally {
            server.stop(0);
        }
    }
}
