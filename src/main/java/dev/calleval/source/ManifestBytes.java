package dev.calleval.source;

import dev.calleval.s3.S3ObjectInputStream;
import dev.calleval.s3.S3Storage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of a manifest for {@link ManifestItemReader}: opens the local file or the S3 object (one GetObject
 * stream), tells by the first bytes whether it is gzip (decompressed on the fly) or something that is not CSV text
 * (refused with a {@link ManifestException}), and counts the raw bytes read, for progress. One open at a time; the
 * size and position may be read from another thread.
 */
final class ManifestBytes {

    private final InputLocation manifest;
    private final @Nullable S3Storage s3;
    private final String displayName;
    private boolean gzip;
    private @Nullable String eTag;
    private volatile long fileSize;
    private volatile @Nullable CountingInputStream rawStream;
    private volatile @Nullable S3ObjectInputStream s3Stream;

    ManifestBytes(InputLocation manifest, @Nullable S3Storage s3, String displayName) {
        this.manifest = manifest;
        this.s3 = s3;
        this.displayName = displayName;
    }

    /** Whether the manifest opened last is gzip-compressed (known after {@link #sniff}). */
    boolean gzip() {
        return gzip;
    }

    /** The ETag of an S3 manifest once opened; null for a local file. */
    @Nullable String eTag() {
        return eTag;
    }

    /** The size in bytes of the manifest as stored (compressed, for gzip); 0 before it is opened. */
    long size() {
        return fileSize;
    }

    /** Opens the stored bytes, forgetting what an earlier open learnt about the format. */
    InputStream openRaw() throws IOException {
        gzip = false;
        rawStream = null;
        s3Stream = null;
        if (manifest instanceof InputLocation.S3 object && s3 != null) {
            S3ObjectInputStream in = s3.openStream(object.location());
            eTag = in.eTag();
            fileSize = in.size();
            s3Stream = in;
            return in;
        }
        Path file = ((InputLocation.Local) manifest).path();
        if (Files.isDirectory(file)) {
            throw new ManifestException(displayName, 0, "is a folder, not a manifest: source.location must name a CSV file", null);
        }
        fileSize = Files.size(file);
        rawStream = new CountingInputStream(Files.newInputStream(file));
        return rawStream;
    }

    /** Raw bytes read so far from the stored manifest. */
    long rawPosition() {
        CountingInputStream counting = rawStream;
        S3ObjectInputStream object = s3Stream;
        return counting != null ? counting.count : object != null ? object.position() : 0;
    }

    /** Counts the bytes read from the file, for the progress of a gzip-compressed manifest. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /**
     * The first bytes of the manifest decide how it is read: gzip data (magic bytes {@code 1f 8b}, whatever the file is
     * called) is decompressed on the fly; UTF-16 (a byte order mark {@code ff fe} or {@code fe ff}), a ZIP archive
     * (an {@code .xlsx} workbook) and an empty file are refused. A UTF-8 byte order mark is skipped later.
     */
    InputStream sniff(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        byte[] head = peek(in);
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            gzip = true;
            in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            head = peek(in);
        }
        String what = gzip ? "the manifest (gzip-compressed)" : "the manifest";
        if (head.length == 0) {
            throw new ManifestException(displayName, 0, what + " is empty: it needs a header row naming its columns (call_id, agent_id, "
                    + "start_time_utc, ...) and a row per call", null);
        }
        if (head.length >= 2 && ((head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe || (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff)) {
            throw new ManifestException(displayName, 0, what + " is UTF-16 text (byte order mark " + String.format("%02x %02x", head[0], head[1])
                    + "): save it as UTF-8 (in Excel: Save As, CSV UTF-8)", null);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            throw new ManifestException(displayName, 0, what + " is a ZIP archive (an Excel .xlsx workbook?), not CSV: export the sheet as "
                    + "CSV UTF-8", null);
        }
        return in;
    }

    private static byte[] peek(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return head;
    }
}
