package dev.calleval.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An object written to S3 as a stream of unknown length, in constant memory: the bytes are buffered one part at a time
 * ({@link #DEFAULT_PART_SIZE}) and each full part is sent as a part of a multipart upload. An object smaller than one
 * part is sent with one PutObject at {@link #close()} and no multipart upload is started.
 *
 * <p>{@link #close()} completes the upload: only then does the object appear (whole, or not at all). A writer that
 * fails must call {@link #abort()} instead, which discards the parts sent so far; closing after an abort does nothing.
 * Not thread-safe.
 *
 * @see S3Storage#openUpload
 */
public final class S3Upload extends OutputStream {
    /** Bytes per part: 8 MiB (S3 wants at least 5 MiB for every part but the last, and at most 10,000 parts). */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final S3Client client;
    private final S3Location target;
    private final @Nullable String contentType;
    private final byte[] buffer;
    private int buffered;
    private @Nullable String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean closed;

    S3Upload(S3Client client, S3Location target, @Nullable String contentType, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least " + MIN_PART_SIZE + " bytes, got " + partSize);
        }
        this.client = client;
        this.target = target;
        this.contentType = contentType;
        this.buffer = new byte[partSize];
    }

    /** The object this upload writes. */
    public S3Location target() {
        return target;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (buffered == buffer.length) {
            sendPart();
        }
        buffer[buffered++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            if (buffered == buffer.length) {
                sendPart();
            }
            int n = Math.min(length, buffer.length - buffered);
            System.arraycopy(bytes, offset, buffer, buffered, n);
            buffered += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * Completes the upload: the last part is sent and the object appears (a small object: one PutObject).
     *
     * @throws S3AccessException when S3 refuses or cannot be reached (the multipart upload is aborted)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uploadId == null) {
                client.putObject(r -> r.bucket(target.bucket()).key(target.key()).contentType(contentType),
                        body());
                return;
            }
            if (buffered > 0) {
                uploadPart();
            }
            String id = uploadId;
            client.completeMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(id)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            abortQuietly();
            throw S3AccessException.of("cannot upload to", target, e);
        }
    }

    /** Discards the upload: parts sent so far are deleted and no object appears. Never throws. */
    public void abort() {
        if (!closed) {
            closed = true;
            abortQuietly();
        }
    }

    private void sendPart() {
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).contentType(contentType)).uploadId();
            }
            uploadPart();
        } catch (SdkException e) {
            abort();
            throw S3AccessException.of("cannot upload to", target, e);
        }
    }

    private void uploadPart() {
        int number = parts.size() + 1;
        String id = uploadId;
        String eTag = client.uploadPart(r -> r.bucket(target.bucket()).key(target.key()).uploadId(id).partNumber(number)
                .contentLength((long) buffered), body()).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        buffered = 0;
    }

    /** The buffered bytes, read in place (a ByteArrayInputStream can be reset, so the SDK can retry a part). */
    private RequestBody body() {
        return RequestBody.fromInputStream(new java.io.ByteArrayInputStream(buffer, 0, buffered), buffered);
    }

    private void abortQuietly() {
        String id = uploadId;
        if (id == null) {
            return;
        }
        try {
            client.abortMultipartUpload(r -> r.bucket(target.bucket()).key(target.key()).uploadId(id));
        } catch (SdkException ignored) {
            // the bucket's lifecycle rule (AbortIncompleteMultipartUpload) removes what is left
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the upload to " + target + " is closed");
        }
    }

    @Override
    public String toString() {
        return "S3Upload[" + target + ", " + parts.size() + " parts sent]";
    }
}
