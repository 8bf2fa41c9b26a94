package dev.calleval.s3;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One S3 object read as a stream over a long time (a manifest read while its calls are submitted, for hours): a
 * GetObject stream that, when the connection breaks, opens the object again from the byte it stopped at (a ranged
 * GET, {@code If-Match} the ETag of the first response, so a replaced object is an error, never a mix of two
 * versions). Closing before the end aborts the connection instead of draining the rest. Not thread-safe.
 */
public final class S3ObjectInputStream extends InputStream {
    private static final Logger log = LoggerFactory.getLogger(S3ObjectInputStream.class);
    /** Reopen attempts after a broken connection before the read fails; reset by every byte read. */
    static final int MAX_RESUMES = 3;

    private final S3Client client;
    private final S3Location location;
    private final String eTag;
    private final long size;
    private ResponseInputStream<GetObjectResponse> current;
    private long position;
    private int resumes;
    private boolean closed;

    private S3ObjectInputStream(S3Client client, S3Location location, ResponseInputStream<GetObjectResponse> first) {
        this.client = client;
        this.location = location;
        this.current = first;
        this.eTag = first.response().eTag();
        Long length = first.response().contentLength();
        this.size = length == null ? -1 : length;
    }

    /**
     * Opens the object.
     *
     * @param eTag the version to read (If-Match), or null for the current one
     * @throws S3AccessException when it does not exist, is not that version, access is denied or S3 cannot be reached
     */
    static S3ObjectInputStream open(S3Client client, S3Location location, @Nullable String eTag) {
        try {
            return new S3ObjectInputStream(client, location, client.getObject(request(location, eTag, 0)));
        } catch (SdkException e) {
            throw S3AccessException.of("cannot read", location, e);
        }
    }

    private static GetObjectRequest request(S3Location location, @Nullable String eTag, long from) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(location.bucket()).key(location.key());
        if (eTag != null) {
            request.ifMatch(eTag);
        }
        if (from > 0) {
            request.range("bytes=" + from + "-");
        }
        return request.build();
    }

    /** The object's ETag when it was opened. */
    public String eTag() {
        return eTag;
    }

    /** The object's size in bytes, or -1 when S3 did not say. */
    public long size() {
        return size;
    }

    /** Bytes read so far. */
    public long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException(location + " is closed");
        }
        if (length == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = current.read(buffer, offset, length);
                if (n > 0) {
                    position += n;
                    resumes = 0;
                } else if (n < 0 && size >= 0 && position < size) {
                    throw new IOException("connection ended at byte " + position + " of " + size);
                }
                return n;
            } catch (IOException | SdkException e) {
                resume(e);
            }
        }
    }

    private void resume(Exception failure) throws IOException {
        if (resumes++ >= MAX_RESUMES) {
            throw new IOException("cannot read " + location + " at byte " + position + ": " + failure.getMessage(), failure);
        }
        log.warn("reading {} broke at byte {} ({}); opening it again from there", location, position, failure.getMessage());
        current.abort();
        try {
            current = client.getObject(request(location, eTag, position));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new IOException(location + " was replaced while it was being read (its ETag is no longer " + eTag + ")", e);
            }
            throw new IOException(S3AccessException.of("cannot read", location, e).getMessage(), e);
        } catch (SdkException e) {
            throw new IOException(S3AccessException.of("cannot read", location, e).getMessage(), e);
        }
    }

    /** Releases the connection: at the end of the object it is kept for reuse, before the end it is aborted. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (size < 0 || position < size) {
            current.abort();
        }
        current.close();
    }
}
