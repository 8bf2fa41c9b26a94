package dev.calleval.bluejay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A recording sent inline as {@code recording_base64} (§1.1): a data URL {@code data:<mediaType>;base64,<data>}.
 * The content is not read when this value is created: {@link BluejayClient} streams it, base64-encoded, straight
 * into the request body each time the request is sent (never the whole encoded recording in memory), and
 * serialising this value with Jackson encodes it in 48 KiB pieces into the generator.
 *
 * @param content where the bytes are read from: a local file ({@link #file()}) or another source, e.g. an S3 object
 * @param mediaType the media type detected from the content, e.g. {@code audio/wav}
 * @param sizeBytes the content's size when it was checked against the size cap; sending fails if it has changed
 */
@JsonSerialize(using = RecordingData.DataUrlSerializer.class)
public record RecordingData(Content content, String mediaType, long sizeBytes) {

    /** A local file: the bytes are read from {@code file} each time the request is written. */
    public RecordingData(Path file, String mediaType, long sizeBytes) {
        this(new LocalFile(file), mediaType, sizeBytes);
    }

    /** The local file, or null when the content comes from elsewhere (S3). */
    public @Nullable Path file() {
        return content instanceof LocalFile local ? local.file() : null;
    }

    /** {@code data:<mediaType>;base64,}: what the data URL starts with. */
    String prefix() {
        return "data:" + mediaType + ";base64,";
    }

    /** The length of the base64 text of {@link #sizeBytes()} bytes (with padding). */
    long base64Length() {
        return 4 * ((sizeBytes + 2) / 3);
    }

    /** Where a recording's bytes come from; opened once per request attempt. */
    public interface Content {
        /**
         * A new stream of the bytes from the start.
         *
         * @throws IOException when it cannot be opened
         */
        InputStream open() throws IOException;

        /**
         * A stable identity of these bytes (location plus modification time or ETag), for request fingerprints:
         * equal identities mean the same bytes.
         */
        String identity();
    }

    /** The bytes of a local file. */
    public record LocalFile(Path file) implements Content {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public String identity() {
            long modified;
            long size;
            try {
                modified = Files.getLastModifiedTime(file).toMillis();
                size = Files.size(file);
            } catch (IOException e) {
                modified = -1;
                size = -1;
            }
            return file.toAbsolutePath() + ":" + size + ":" + modified;
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    static final class DataUrlSerializer extends ValueSerializer<RecordingData> {
        private static final int PIECE = 48 * 1024; // a multiple of 3: no padding inside the stream

        @Override
        public void serialize(RecordingData value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeRawValue("\"" + value.prefix());
            Base64.Encoder encoder = Base64.getEncoder();
            byte[] buffer = new byte[PIECE];
            try (InputStream in = value.content().open()) {
                int filled;
                while ((filled = in.readNBytes(buffer, 0, PIECE)) > 0) {
                    byte[] piece = filled == PIECE ? buffer : java.util.Arrays.copyOf(buffer, filled);
                    gen.writeRaw(new String(encoder.encode(piece), java.nio.charset.StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read recording " + value.content(), e);
            }
            gen.writeRaw('"');
        }
    }
}
