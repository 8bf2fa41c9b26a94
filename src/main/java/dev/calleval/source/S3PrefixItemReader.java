package dev.calleval.source;

import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every call group under an S3 prefix ({@code source.type: s3-prefix}) as {@link CallRecord}s for the same
 * mapping as manifest rows. The prefix is listed with the ListObjectsV2 paginator (one page in memory at a time) and
 * grouped by base name with {@link CallGroups}. Per group:
 * <ul>
 *   <li>{@code call_id} (the ledger's source id) = {@code bucket/baseKey#digest}, where digest is the first 16 hex
 *       digits of the SHA-256 of every member's {@code key=ETag} (recording, transcript, sidecar). A re-uploaded
 *       changed member changes the ETag and so makes a new call; an unchanged group is never sent twice;</li>
 *   <li>{@code recording} = the recording's {@code s3://bucket/key}, which the mapping delivers as it does any S3
 *       recording (media type from its first bytes, a presigned URL valid {@code defaults.recording-url-ttl}, or
 *       inline per {@code recording-url-too-long}), so the request's fingerprint stands for the object, not the
 *       URL signed this run;</li>
 *   <li>{@code transcript} and {@code sidecar}: downloaded to a temporary folder (deleted as the read moves on and
 *       on close) and read by the mapping as local files;</li>
 *   <li>from the sidecar's top level: {@code start_time_utc} (or {@code start_time}), {@code agent_id},
 *       {@code external_agent_id}, {@code call_direction}, {@code interface}, {@code label},
 *       {@code conversation_ended_by}, {@code multichannel}; participants, tool calls, events, tags and metadata are read by the
 *       mapping's sidecar reader.</li>
 * </ul>
 * A group without exactly one recording and one transcript, or with more than one sidecar, becomes a record with a
 * problem naming its keys, which the mapping rejects. Provenance ({@link SourceRef}) is {@code s3://bucket/baseKey}.
 *
 * <p>The number of groups read is saved under {@code s3prefix.groups}; with {@code resume} a restart skips that many.
 *
 * @see CallGroups
 */
public final class S3PrefixItemReader implements ItemStreamReader<CallRecord> {
    static final String GROUPS_KEY = "s3prefix.groups";
    private static final Logger log = LoggerFactory.getLogger(S3PrefixItemReader.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> SIDECAR_FIELDS = List.of("start_time_utc", "agent_id", "external_agent_id", "call_direction",
            "interface", "label", "conversation_ended_by", "multichannel");

    private final S3Storage storage;
    private final S3Location prefix;
    private final int pageSize;
    private final int keepGroups;
    private final boolean resume;
    private @Nullable Iterator<CallGroups.Group> groups;
    private @Nullable Path temp;
    private final Deque<Path> downloaded = new ArrayDeque<>();
    private long groupsRead;

    /**
     * @param prefix the resolved prefix (no template left)
     * @param pageSize keys per ListObjectsV2 page (1-1000)
     * @param keepGroups how many groups' downloaded files to keep (at least the chunk size: the mapping reads them after the chunk is read)
     * @param resume on a restart, skip the groups a previous execution already read
     */
    public S3PrefixItemReader(S3Storage storage, S3Location prefix, int pageSize, int keepGroups, boolean resume) {
        this.storage = storage;
        this.prefix = prefix;
        this.pageSize = pageSize;
        this.keepGroups = Math.max(1, keepGroups);
        this.resume = resume;
    }

    @Override
    public void open(ExecutionContext context) {
        try {
            temp = Files.createTempDirectory("calleval-s3prefix-");
        } catch (IOException e) {
            throw new ItemStreamException("cannot create a temporary folder for " + prefix, e);
        }
        Iterator<S3Object> objects;
        try {
            objects = storage.client().listObjectsV2Paginator(r -> r.bucket(prefix.bucket()).prefix(prefix.key()).maxKeys(pageSize))
                    .contents().iterator();
            groups = new CallGroups(listing(objects));
            groups.hasNext(); // the first page: a missing bucket or denied access fails here, on open
        } catch (SdkException e) {
            throw S3AccessException.of("cannot list", prefix, e);
        }
        long skip = resume ? context.getLong(GROUPS_KEY, 0L) : 0L;
        for (long i = 0; i < skip && groups.hasNext(); i++) {
            groups.next();
        }
        groupsRead = skip;
        log.info("reading call groups under {}", prefix);
    }

    /** The listing, with SDK failures on later pages translated. */
    private Iterator<S3Object> listing(Iterator<S3Object> objects) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return objects.hasNext();
                } catch (SdkException e) {
                    throw S3AccessException.of("cannot list", prefix, e);
                }
            }

            @Override
            public S3Object next() {
                return objects.next();
            }
        };
    }

    @Override
    public @Nullable CallRecord read() {
        if (groups == null || temp == null) {
            throw new ItemStreamException("reader for " + prefix + " is not open");
        }
        if (!groups.hasNext()) {
            return null;
        }
        CallGroups.Group group = groups.next();
        groupsRead++;
        return record(group);
    }

    private CallRecord record(CallGroups.Group group) {
        SourceRef source = new SourceRef(new S3Location(prefix.bucket(), group.baseKey()).toString(), 0);
        Map<String, String> values = new LinkedHashMap<>();
        values.put("call_id", sourceId(prefix.bucket(), group));
        StringBuilder problem = new StringBuilder();
        check(group.recordings(), "recording (" + String.join(" ", CallGroups.RECORDING_EXTENSIONS) + ")", problem);
        check(group.transcripts(), "transcript (" + String.join(" ", CallGroups.TRANSCRIPT_EXTENSIONS) + ")", problem);
        if (group.sidecars().size() > 1) {
            problem.append("more than one sidecar: ").append(keys(group.sidecars())).append("; ");
        }
        Path dir = groupFolder();
        if (group.recordings().size() == 1) {
            values.put("recording", location(group.recordings().get(0)).toString());
        }
        if (group.transcripts().size() == 1) {
            values.put("transcript", download(group.transcripts().get(0), dir));
        }
        if (group.sidecars().size() == 1) {
            String name = download(group.sidecars().get(0), dir);
            values.put("sidecar", name);
            sidecarFields(dir.resolve(name), values);
        }
        if (problem.length() > 0) {
            problem.append("objects of this call: ").append(keys(group.members()));
        }
        return new CallRecord(source, dir, values, problem.length() == 0 ? null : problem.toString());
    }

    private void check(List<S3Object> objects, String what, StringBuilder problem) {
        if (objects.isEmpty()) {
            problem.append("no ").append(what).append("; ");
        } else if (objects.size() > 1) {
            problem.append("more than one ").append(what).append(": ").append(keys(objects)).append("; ");
        }
    }

    private String keys(List<S3Object> objects) {
        return objects.stream().map(o -> location(o).toString()).collect(Collectors.joining(", "));
    }

    private S3Location location(S3Object object) {
        return new S3Location(prefix.bucket(), object.key());
    }

    /**
     * The ledger's source id of a group: {@code bucket/baseKey#} + the first 16 hex digits of the SHA-256 of the
     * recording, transcript and sidecar members' {@code key=ETag} lines, in key order.
     */
    static String sourceId(String bucket, CallGroups.Group group) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (S3Object o : group.members()) {
                if (!group.others().contains(o)) {
                    sha.update((o.key() + "=" + o.eTag() + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            return bucket + "/" + group.baseKey() + "#" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A fresh folder for one group's files; the oldest folders beyond {@code keepGroups} are deleted. */
    private Path groupFolder() {
        try {
            Path dir = Files.createDirectory(temp.resolve(Long.toString(groupsRead)));
            downloaded.addLast(dir);
            while (downloaded.size() > keepGroups) {
                FileSystemUtils.deleteRecursively(downloaded.removeFirst());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the temporary folder " + temp, e);
        }
    }

    private String download(S3Object object, Path dir) {
        S3Location from = location(object);
        String name = from.fileName();
        try (InputStream in = storage.open(from)) {
            Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new S3AccessException("cannot read " + from + ": " + e.getMessage(), from, 0, e);
        }
        return name;
    }

    /** Copies the sidecar's top-level call fields into the record's values; an unreadable sidecar is left to the mapping. */
    private static void sidecarFields(Path file, Map<String, String> values) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            return; // the mapping's sidecar reader reports it with its line and column
        }
        if (root == null || !root.isObject()) {
            return;
        }
        for (String field : SIDECAR_FIELDS) {
            JsonNode v = root.get(field);
            if (v == null && field.equals("start_time_utc")) {
                v = root.get("start_time");
            }
            if (v != null && v.isValueNode() && !v.isNull() && !v.asString().isBlank()) {
                values.put(field, v.asString().strip());
            }
        }
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(GROUPS_KEY, groupsRead);
    }

    @Override
    public void close() {
        groups = null;
        downloaded.clear();
        if (temp != null) {
            try {
                FileSystemUtils.deleteRecursively(temp);
            } catch (IOException e) {
                log.warn("cannot delete the temporary folder {}: {}", temp, e.getMessage());
            }
            temp = null;
        }
    }
}
