package dev.calleval.mapping;

import dev.calleval.bluejay.RecordingData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Local recordings: size cap and media type detection from the file's first bytes (not its name). Bluejay
 * accepts .mp3, .mp4, .wav and .m4a (§1.1).
 */
final class Recordings {
    private Recordings() {}

    /**
     * @throws InputFileException missing, unreadable, empty, over the cap, or not a supported audio format
     */
    static RecordingData local(Path file, String shownAs, long maxBytes) throws InputFileException {
        if (!Files.isRegularFile(file)) {
            throw new InputFileException("recording", "file not found: " + shownAs);
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new InputFileException("recording", shownAs + " is empty");
            }
            if (size > maxBytes) {
                throw new InputFileException("recording", shownAs + " is " + size + " bytes, over the cap of " + maxBytes
                        + " bytes for inline recordings (raise defaults.max-recording-bytes or host it and give a URL)");
            }
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(16);
            }
            String mediaType = mediaType(head).orElseThrow(() -> new InputFileException("recording",
                    shownAs + " is not a WAV, MP3, MP4 or M4A file (its first bytes match none of them)"));
            return new RecordingData(file, mediaType, size);
        } catch (IOException e) {
            throw new InputFileException("recording", "cannot read " + shownAs + ": " + e.getMessage());
        }
    }

    /**
     * The length of a PCM WAV file in ms, from its {@code fmt } chunk's byte rate and its {@code data} chunk's size;
     * empty for other formats or a header it cannot read (the length is then unknown, not an error).
     */
    static java.util.Optional<Long> wavDurationMs(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(12);
            if (head.length < 12 || !ascii(head, 0, 4).equals("RIFF") || !ascii(head, 8, 12).equals("WAVE")) {
                return java.util.Optional.empty();
            }
            long byteRate = 0;
            for (int chunks = 0; chunks < 64; chunks++) {
                byte[] header = in.readNBytes(8);
                if (header.length < 8) {
                    return java.util.Optional.empty();
                }
                String id = ascii(header, 0, 4);
                long size = java.nio.ByteBuffer.wrap(header, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                if (id.equals("fmt ")) {
                    byte[] fmt = in.readNBytes((int) Math.min(size, 64));
                    if (fmt.length < 12) {
                        return java.util.Optional.empty();
                    }
                    byteRate = java.nio.ByteBuffer.wrap(fmt, 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                    in.skipNBytes(size - fmt.length + (size & 1));
                } else if (id.equals("data")) {
                    return byteRate > 0 ? java.util.Optional.of(size * 1000 / byteRate) : java.util.Optional.empty();
                } else {
                    in.skipNBytes(size + (size & 1));
                }
            }
            return java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The media type for the magic bytes of WAV, MP3 (ID3 tag or MPEG frame sync), MP4 and M4A. */
    static Optional<String> mediaType(byte[] head) {
        if (head.length >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 12).equals("WAVE")) {
            return Optional.of("audio/wav");
        }
        if (head.length >= 3 && ascii(head, 0, 3).equals("ID3")) {
            return Optional.of("audio/mpeg");
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
            return Optional.of("audio/mpeg");
        }
        if (head.length >= 12 && ascii(head, 4, 8).equals("ftyp")) {
            String brand = ascii(head, 8, 12);
            return Optional.of(brand.startsWith("M4A") ? "audio/mp4" : "video/mp4");
        }
        return Optional.empty();
    }

    private static String ascii(byte[] bytes, int from, int to) {
        return new String(Arrays.copyOfRange(bytes, from, to), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
