package dev.calleval.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * A real S3-compatible server (s3proxy) on loopback at a random port, with one bucket, for tests that go through
 * the real AWS SDK. Use as a JUnit extension ({@code @RegisterExtension static final S3TestServer s3 =
 * S3TestServer.inMemory("calls");}, started before all tests of the class and stopped after) or by hand with
 * {@link #start()} / {@link #close()}.
 *
 * <p>Point calleval at it with {@link #properties()} (for {@code CommandLine.run}, as environment variables) or
 * {@link #settings()} / {@link #storage()} (in-process): endpoint override, path-style access, static test keys.
 */
public final class S3TestServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** The test access key id and secret s3proxy accepts. */
    public static final String ACCESS_KEY_ID = "calleval-test";
    public static final String SECRET_ACCESS_KEY = "calleval-test-secret";

    private final String bucket;
    private final @Nullable Path directory;
    private @Nullable S3Proxy proxy;
    private @Nullable S3Storage storage;

    private S3TestServer(String bucket, @Nullable Path directory) {
        this.bucket = bucket;
        this.directory = directory;
    }

    /** A server keeping its objects in memory, with {@code bucket} created at start. */
    public static S3TestServer inMemory(String bucket) {
        return new S3TestServer(bucket, null);
    }

    /** A server keeping its objects under {@code directory} (one folder per bucket), for large objects. */
    public static S3TestServer onDisk(String bucket, Path directory) {
        return new S3TestServer(bucket, directory);
    }

    /** Starts the server and creates the bucket; does nothing when already started. */
    public synchronized S3TestServer start() {
        if (proxy != null) {
            return this;
        }
        // s3proxy logs every start at INFO before Spring configures logging; tests need only its warnings
        if (LoggerFactory.getLogger("org.gaul") instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        try {
            S3Proxy started = S3Proxy.builder()
                    .blobStore(directory == null ? new TransientNio2BlobStore() : new FilesystemNio2BlobStore(directory.toString()))
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                    .build();
            started.start();
            while (!started.getState().equals("STARTED")) {
                Thread.sleep(5);
            }
            proxy = started;
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
        storage().client().createBucket(b -> b.bucket(bucket));
        return this;
    }

    /** The endpoint URL, {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        if (proxy == null) {
            throw new IllegalStateException("S3TestServer not started");
        }
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** The bucket created at start. */
    public String bucket() {
        return bucket;
    }

    /** {@code s3://bucket/key} in this server's bucket. */
    public S3Location location(String key) {
        return new S3Location(bucket, key);
    }

    /**
     * The environment variables that point calleval at this server (endpoint override, path style, region
     * us-east-1, the test keys), for {@code CommandLine.run(db, properties, args)}.
     */
    public Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("CALLEVAL_S3_ENDPOINT", endpoint());
        properties.put("CALLEVAL_S3_PATH_STYLE", "true");
        properties.put("AWS_REGION", "us-east-1");
        properties.put("CALLEVAL_S3_ACCESS_KEY_ID", ACCESS_KEY_ID);
        properties.put("CALLEVAL_S3_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        return properties;
    }

    /** calleval's S3 settings for this server, with presigned URLs valid for {@code presignTtl}. */
    public S3Settings settings(Duration presignTtl) {
        return new S3Settings("us-east-1", endpoint(), true, presignTtl, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    }

    /** calleval's S3 settings for this server (presigned URLs valid 24 h). */
    public S3Settings settings() {
        return settings(Duration.ofHours(24));
    }

    /** calleval's own {@link S3Storage} for this server; closed with the server. */
    public synchronized S3Storage storage() {
        if (storage == null) {
            storage = new S3Storage(settings());
        }
        return storage;
    }

    /** Stores {@code content} under {@code key} in the bucket; returns its location. */
    public S3Location put(String key, byte[] content) {
        storage().client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        return location(key);
    }

    /** Stores UTF-8 {@code text} under {@code key}; returns its location. */
    public S3Location put(String key, String text) {
        return put(key, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Uploads the file under {@code key}; returns its location. */
    public S3Location put(String key, Path file) {
        storage().client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
        return location(key);
    }

    /** The object's bytes, or null when there is no such key. */
    public byte @Nullable [] get(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = storage().client().getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return bytes.asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** The object's text (UTF-8), or null when there is no such key. */
    public @Nullable String getText(String key) {
        byte[] bytes = get(key);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The keys under {@code prefix}, in S3's order. */
    public List<String> keys(String prefix) {
        return storage().client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public synchronized void close() {
        if (storage != null) {
            storage.close();
            storage = null;
        }
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (Exception e) {
                throw new IllegalStateException("s3proxy did not stop", e);
            } finally {
                proxy = null;
            }
        }
    }
}
