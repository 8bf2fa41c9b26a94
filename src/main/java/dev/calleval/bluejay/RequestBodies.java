package dev.calleval.bluejay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON request bodies for the HTTP client. A body without an inline recording is serialised to bytes. A body with
 * a {@link RecordingData} ({@code recording_base64}) is published in four parts: the JSON before the recording,
 * {@code "data:<type>;base64,}, the recording base64-encoded as it is read from its content (48 KiB at a time), and
 * the closing quote with the JSON after it. Only the JSON around the recording is held in memory; the body's
 * {@code Content-Length} is exact, and each attempt (a retry too) reads the recording again from the start.
 */
final class RequestBodies {
    /** Bytes read per base64 piece: a multiple of 3, so padding can only come at the very end. */
    static final int PIECE = 48 * 1024;

    private final JsonMapper json;
    /** Serialises the request with the recording as a marker nobody can write in a field value. */
    private final JsonMapper withMarker;
    private final byte[] marker;

    RequestBodies(JsonMapper json) {
        this.json = json;
        this.marker = Marker.TOKEN.getBytes(StandardCharsets.US_ASCII);
        this.withMarker = json.rebuild().addMixIn(RecordingData.class, Marker.class).build();
    }

    /**
     * The body publisher for {@code body}.
     *
     * @throws IllegalStateException when the JSON does not hold exactly one recording marker (a bug)
     */
    HttpRequest.BodyPublisher publisher(Object body) {
        if (!(body instanceof EvaluateRequest request) || request.recordingBase64() == null) {
            return HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        }
        RecordingData recording = request.recordingBase64();
        byte[] bytes = withMarker.writeValueAsBytes(request);
        int at = indexOf(bytes, marker, 0);
        if (at < 0 || indexOf(bytes, marker, at + 1) >= 0) {
            throw new IllegalStateException("the evaluate body does not hold exactly one recording");
        }
        byte[] head = Arrays.copyOfRange(bytes, 0, at);
        byte[] tail = Arrays.copyOfRange(bytes, at + marker.length, bytes.length);
        return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(head),
                HttpRequest.BodyPublishers.ofByteArray(("\"" + recording.prefix()).getBytes(StandardCharsets.US_ASCII)),
                HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> encoded(recording)),
                        recording.base64Length()),
                HttpRequest.BodyPublishers.ofByteArray(("\"").getBytes(StandardCharsets.US_ASCII)),
                HttpRequest.BodyPublishers.ofByteArray(tail));
    }

    private static InputStream encoded(RecordingData recording) {
        try {
            return new Base64Stream(recording.content().open(), recording.sizeBytes(), recording.content().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open recording " + recording.content() + ": " + e.getMessage(), e);
        }
    }

    static int indexOf(byte[] bytes, byte[] target, int from) {
        outer:
        for (int i = from; i <= bytes.length - target.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (bytes[i + j] != target[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The base64 text of exactly {@code size} bytes of {@code source}, produced as it is read.
     *
     * @throws IOException on read, when the source holds fewer or more bytes than {@code size} (it changed since
     *     it was checked), naming it
     */
    static final class Base64Stream extends InputStream {
        private final InputStream source;
        private final long size;
        private final String name;
        private final Base64.Encoder encoder = Base64.getEncoder();
        private final byte[] raw = new byte[PIECE];
        private byte[] encoded = new byte[0];
        private int next;
        private long read;
        private boolean ended;

        Base64Stream(InputStream source, long size, String name) {
            this.source = source;
            this.size = size;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return encoded[next++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, encoded.length - next);
            System.arraycopy(encoded, next, buffer, offset, n);
            next += n;
            return n;
        }

        private boolean fill() throws IOException {
            if (next < encoded.length) {
                return true;
            }
            if (ended) {
                return false;
            }
            int want = (int) Math.min(PIECE, size - read); // never past the size checked: the length is promised
            int n = want == 0 ? 0 : source.readNBytes(raw, 0, want);
            read += n;
            if (n < want) {
                throw new IOException("recording " + name + " changed since it was checked: it now ends after " + read
                        + " bytes, not " + size);
            }
            if (read == size) {
                ended = true;
                if (source.read() >= 0) {
                    throw new IOException("recording " + name + " changed since it was checked: it is now longer than " + size + " bytes");
                }
            }
            if (n == 0) {
                return false;
            }
            encoded = encoder.encode(n == PIECE ? raw : Arrays.copyOf(raw, n));
            next = 0;
            return true;
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    /**
     * Writes the recording as a marker: a quoted random token, chosen once per process, that no field value can
     * produce (a quote inside a JSON string is escaped) and no caller can guess.
     */
    @JsonSerialize(using = Marker.Serializer.class)
    abstract static class Marker {
        static final String TOKEN = "\"calleval-recording-" + UUID.randomUUID() + "\"";

        static final class Serializer extends ValueSerializer<RecordingData> {
            @Override
            public void serialize(RecordingData value, JsonGenerator gen, SerializationContext ctxt) {
                gen.writeRawValue(TOKEN);
            }
        }
    }
}
