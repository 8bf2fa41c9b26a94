package dev.calleval.mapping;

import dev.calleval.bluejay.RecordingData;
import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3ConfigurationException;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import dev.calleval.source.InputFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Recordings: local files (size cap, media type detected from the file's first bytes, not its name) and S3
 * objects (a presigned GET URL, or inline when configured). Bluejay accepts .mp3, .mp4, .wav and .m4a (§1.1).
 */
final class Recordings {
    private Recordings() {}

    /**
     * An S3 recording: one ranged GET reads its first bytes (media type), size and ETag; then a presigned GET URL
     * valid for {@link S3Recordings#presignTtl()}, linked with the object and its ETag as its identity. A URL over {@code maxUrlLength} characters is a problem, or with
     * {@link S3Recordings.UrlTooLong#BASE64} the recording goes inline, within {@code maxBytes}.
     *
     * @param shownAs the path as the manifest wrote it
     * @throws InputFileException missing object, access denied, empty, not a supported audio format, URL too long
     */
    static CallContents.Recording s3(S3Recordings config, S3Location object, String shownAs, long maxBytes, int maxUrlLength) throws InputFileException {
        String where = shownAs.equals(object.toString()) ? shownAs : shownAs + " (" + object + ")";
        S3Storage.ObjectStart start;
        try {
            start = config.storage().readStart(object, 16);
        } catch (S3AccessException e) {
            throw InputFiles.problem(e, "recording", shownAs);
        } catch (S3ConfigurationException e) {
            throw new InputFileException("recording", "cannot read " + where + ": " + e.getMessage());
        }
        if (start.size() == 0) {
            throw new InputFileException("recording", where + " is empty");
        }
        String mediaType = mediaType(start.head()).orElseThrow(() -> new InputFileException("recording",
                where + " is not a WAV, MP3, MP4 or M4A file (its first bytes match none of them)"));
        String url;
        try {
            url = config.storage().presignGet(object, config.presignTtl()).toString();
        } catch (S3AccessException e) {
            throw new InputFileException("recording", "cannot presign " + where + ": " + e.reason());
        }
        if (url.length() <= maxUrlLength) {
            return new CallContents.Recording.Linked(url, object + "#" + start.eTag());
        }
        if (config.urlTooLong() == S3Recordings.UrlTooLong.BASE64) {
            if (start.size() > maxBytes) {
                throw new InputFileException("recording", "the presigned URL for " + where + " is " + url.length()
                        + " characters, over the API's " + maxUrlLength + ", and the object is " + start.size()
                        + " bytes, over the cap of " + maxBytes + " bytes for inline recordings (defaults.max-recording-size)");
            }
            return new CallContents.Recording.Inline(new RecordingData(new S3Content(config.storage(), object, start.eTag()), mediaType, start.size()));
        }
        throw new InputFileException("recording", "the presigned URL for " + where + " is " + url.length() + " characters, over the API's "
                + maxUrlLength + " for recording_url (temporary credentials add a long X-Amz-Security-Token); set "
                + "defaults.recording-url-too-long: base64 to send it inline, or sign with long-term credentials");
    }

    /** An S3 recording's bytes, read with {@code If-Match} its ETag: a replaced object fails the send, never mixes. */
    record S3Content(S3Storage storage, S3Location object, String eTag) implements RecordingData.Content {
        @Override
        public InputStream open() throws IOException {
            try {
                return storage.openStream(object, eTag);
            } catch (S3AccessException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public String identity() {
            return object + "#" + eTag;
        }

        @Override
        public String toString() {
            return object.toString();
        }
    }

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
