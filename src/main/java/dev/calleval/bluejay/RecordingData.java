package dev.calleval.bluejay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A local recording sent as {@code recording_base64} (§1.1): a data URL {@code data:<mediaType>;base64,<data>}.
 * The file is not read when this value is created; it is base64-encoded in 48 KiB pieces straight into the JSON
 * body each time the request is written, so a chunk of requests never holds whole recordings in memory.
 *
 * @param file the recording on local disk
 * @param mediaType the media type detected from the file's content, e.g. {@code audio/wav}
 * @param sizeBytes the file size when it was checked against the size cap
 */
@JsonSerialize(using = RecordingData.DataUrlSerializer.class)
public record RecordingData(Path file, String mediaType, long sizeBytes) {

    String prefix() {
        return "data:" + mediaType + ";base64,";
    }

    static final class DataUrlSerializer extends ValueSerializer<RecordingData> {
        private static final int PIECE = 48 * 1024; // a multiple of 3: no padding inside the stream

        @Override
        public void serialize(RecordingData value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeRawValue("\"" + value.prefix());
            Base64.Encoder encoder = Base64.getEncoder();
            byte[] buffer = new byte[PIECE];
            try (InputStream in = Files.newInputStream(value.file())) {
                int filled;
                while ((filled = in.readNBytes(buffer, 0, PIECE)) > 0) {
                    byte[] piece = filled == PIECE ? buffer : java.util.Arrays.copyOf(buffer, filled);
                    gen.writeRaw(new String(encoder.encode(piece), java.nio.charset.StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read recording " + value.file(), e);
            }
            gen.writeRaw('"');
        }
    }
}
