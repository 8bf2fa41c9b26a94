package dev.calleval.s3;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * calleval's access to S3 through the AWS SDK v2: the {@link S3Client} and {@link S3Presigner} built from
 * {@link S3Settings} on first use (so a run that never touches S3 needs neither credentials nor a region), and the
 * few object operations the pipeline uses, with failures translated to {@link S3AccessException}. Thread-safe; the
 * clients are closed with the application context. With an endpoint override (MinIO, Ceph, LocalStack) request
 * checksums are computed only when S3 requires them, as many S3-compatible stores refuse the SDK's default CRC
 * checksum headers.
 */
@Component
@EnableConfigurationProperties(S3Settings.class)
public class S3Storage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S3Storage.class);
    private static final Region DEFAULT_COMPATIBLE_REGION = Region.US_EAST_1;

    private final S3Settings settings;
    private volatile @Nullable Clients clients;
    /** A configuration failure of the first build, repeated without retrying (the region chain can take seconds). */
    private volatile @Nullable S3ConfigurationException failed;

    /** Builds nothing yet: the clients are built on first use. */
    public S3Storage(S3Settings settings) {
        this.settings = settings;
    }

    /** The settings this storage was built with. */
    public S3Settings settings() {
        return settings;
    }

    /**
     * The S3 client, built on first call.
     *
     * @throws S3ConfigurationException when the settings are wrong or no region can be found
     */
    public S3Client client() {
        return clients().client();
    }

    /**
     * The presigner (same region, endpoint, path style and credentials as {@link #client()}), built on first call.
     *
     * @throws S3ConfigurationException when the settings are wrong or no region can be found
     */
    public S3Presigner presigner() {
        return clients().presigner();
    }

    /**
     * Opens an object for streaming with one GetObject request: the caller reads it and must close the stream; to
     * stop before the end, call {@link ResponseInputStream#abort()} first (closing alone may drain the rest).
     * See {@link #openStream} for a stream that survives broken connections.
     *
     * @throws S3AccessException when the object does not exist, access is denied or S3 cannot be reached
     */
    public ResponseInputStream<GetObjectResponse> open(S3Location object) {
        try {
            return client().getObject(r -> r.bucket(object.bucket()).key(object.key()));
        } catch (SdkException e) {
            throw S3AccessException.of("cannot read", object, e);
        }
    }

    /**
     * Opens an object for a long sequential read: a broken connection is resumed from the byte it stopped at (the
     * same ETag only), and closing before the end aborts the connection. For manifests.
     *
     * @throws S3AccessException when the object does not exist, access is denied or S3 cannot be reached
     */
    public S3ObjectInputStream openStream(S3Location object) {
        return S3ObjectInputStream.open(client(), object, null);
    }

    /**
     * {@link #openStream(S3Location)} of one version of the object: S3 answers 412, and this throws, when its
     * ETag is no longer {@code eTag}.
     *
     * @throws S3AccessException when the object does not exist, was replaced (412), access is denied or S3 cannot
     *     be reached
     */
    public S3ObjectInputStream openStream(S3Location object, String eTag) {
        return S3ObjectInputStream.open(client(), object, eTag);
    }

    /**
     * The first bytes of an object with its size and ETag, in one ranged GET: what a recording is (its media type
     * from its content) and how large, without downloading it.
     *
     * @param bytes how many bytes from the start, at least 1
     * @throws S3AccessException when the object does not exist ({@link S3AccessException#notFound()}), access is
     *     denied or S3 cannot be reached
     */
    public ObjectStart readStart(S3Location object, int bytes) {
        try (ResponseInputStream<GetObjectResponse> in = client().getObject(r -> r.bucket(object.bucket()).key(object.key())
                .range("bytes=0-" + (bytes - 1)))) {
            byte[] head = in.readNBytes(bytes);
            GetObjectResponse response = in.response();
            String range = response.contentRange(); // "bytes 0-15/12345"
            long size = range != null && range.lastIndexOf('/') >= 0 && !range.endsWith("/*")
                    ? Long.parseLong(range.substring(range.lastIndexOf('/') + 1)) : response.contentLength();
            return new ObjectStart(head, size, response.eTag());
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 416) { // a range on an empty object
                return new ObjectStart(new byte[0], 0, head(object).eTag());
            }
            throw S3AccessException.of("cannot read", object, e);
        } catch (SdkException e) {
            throw S3AccessException.of("cannot read", object, e);
        } catch (java.io.IOException e) {
            throw new S3AccessException("cannot read " + object + ": " + e.getMessage(), object, 0, e);
        }
    }

    /**
     * The start of an object as {@link #readStart} read it.
     *
     * @param head its first bytes (fewer when the object is shorter)
     * @param size its whole size in bytes
     * @param eTag its ETag, which changes when the object is replaced
     */
    public record ObjectStart(byte[] head, long size, String eTag) {}

    /**
     * The object's metadata (size in bytes, ETag, content type, last modified).
     *
     * @throws S3AccessException when the object does not exist ({@link S3AccessException#notFound()}), access is
     *     denied or S3 cannot be reached
     */
    public HeadObjectResponse head(S3Location object) {
        try {
            return client().headObject(r -> r.bucket(object.bucket()).key(object.key()));
        } catch (SdkException e) {
            throw S3AccessException.of("cannot find", object, e);
        }
    }

    /**
     * Uploads a local file as one object, streamed from disk.
     *
     * @param contentType the object's {@code Content-Type}, or null for S3's default
     * @throws S3AccessException when the upload fails
     */
    public void upload(Path file, S3Location target, @Nullable String contentType) {
        try {
            client().putObject(r -> r.bucket(target.bucket()).key(target.key()).contentType(contentType), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw S3AccessException.of("cannot upload " + file + " to", target, e);
        }
    }

    /**
     * Opens an object for writing as a stream of unknown length, in constant memory (a multipart upload, one
     * {@link S3Upload#DEFAULT_PART_SIZE} part buffered at a time). The object appears when the stream is closed; a
     * writer that fails calls {@link S3Upload#abort()} instead.
     *
     * @param contentType the object's {@code Content-Type}, or null for S3's default
     * @throws S3ConfigurationException when the settings are wrong
     */
    public S3Upload openUpload(S3Location target, @Nullable String contentType) {
        return new S3Upload(client(), target, contentType, S3Upload.DEFAULT_PART_SIZE);
    }

    /**
     * A presigned GET URL for the object: anyone holding it may download the object until it expires. The object
     * is not checked (a URL for a missing object is signed, and answers 404).
     *
     * @param ttl how long the URL stays valid: at most 7 days
     * @throws S3ConfigurationException when the TTL is out of range or the settings are wrong
     * @throws S3AccessException when no credentials can be found to sign with
     */
    public URL presignGet(S3Location object, Duration ttl) {
        S3Settings.checkPresignTtl(ttl, "presign TTL");
        try {
            return presigner().presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(r -> r.bucket(object.bucket()).key(object.key()))).url();
        } catch (SdkException e) {
            throw S3AccessException.of("cannot presign", object, e);
        }
    }

    private Clients clients() {
        Clients built = clients;
        if (built == null) {
            synchronized (this) {
                built = clients;
                if (built == null) {
                    if (failed != null) {
                        throw new S3ConfigurationException(failed.getMessage());
                    }
                    try {
                        built = build();
                    } catch (S3ConfigurationException e) {
                        failed = e;
                        throw e;
                    }
                    clients = built;
                }
            }
        }
        return built;
    }

    private Clients build() {
        settings.check();
        URI endpoint = settings.endpointOverride();
        Region region = region(endpoint);
        AwsCredentialsProvider credentials = settings.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
        S3ClientBuilder client = S3Client.builder().region(region).credentialsProvider(credentials).serviceConfiguration(pathStyle);
        S3Presigner.Builder presigner = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(pathStyle);
        if (endpoint != null) {
            client.endpointOverride(endpoint)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            presigner.endpointOverride(endpoint);
        }
        log.info("S3 client: region {}, {}", region, settings);
        return new Clients(client.build(), presigner.build());
    }

    private Region region(@Nullable URI endpoint) {
        if (!settings.region().isEmpty()) {
            return Region.of(settings.region());
        }
        // with an endpoint override, no instance-metadata lookup (it waits seconds off EC2 for a region MinIO ignores)
        AwsRegionProvider chain = endpoint == null ? new DefaultAwsRegionProviderChain()
                : new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider());
        try {
            return chain.getRegion();
        } catch (SdkClientException e) {
            if (endpoint != null) {
                return DEFAULT_COMPATIBLE_REGION;
            }
            throw new S3ConfigurationException("no AWS region for S3: set AWS_REGION (or calleval.s3.region), "
                    + "or a region in the AWS profile");
        }
    }

    /** Closes the clients if they were built; a later use builds new ones. */
    @Override
    public synchronized void close() {
        Clients built = clients;
        clients = null;
        if (built != null) {
            built.presigner().close();
            built.client().close();
        }
    }

    @Override
    public String toString() {
        return "S3Storage[" + settings + "]";
    }

    private record Clients(S3Client client, S3Presigner presigner) {}
}
