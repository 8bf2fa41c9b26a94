package dev.calleval.source;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Groups a key-sorted stream of S3 objects (as ListObjectsV2 returns them) into calls by base name:
 * {@code calls/2026/11/19/c1.wav}, {@code c1.json} and {@code c1.meta.json} are the group {@code calls/2026/11/19/c1}.
 * The base name is the key without {@code .meta.json}, or else without its last extension.
 *
 * <p>Memory stays bounded: the keys of one group all start with {@code base + "."}, so once the listing reaches a
 * key past that range the group is complete and handed on. Only groups whose range the current key is still in are
 * open (at most one per dot in the key), plus the groups completed by the same key.
 */
final class CallGroups implements Iterator<CallGroups.Group> {
    /** Recording extensions Bluejay takes (§1.1). */
    public static final List<String> RECORDING_EXTENSIONS = List.of(".wav", ".mp3", ".mp4", ".m4a");
    /** Transcript extensions the transcript package reads. */
    public static final List<String> TRANSCRIPT_EXTENSIONS = List.of(".json", ".vtt", ".srt");
    /** The sidecar suffix. */
    public static final String SIDECAR_SUFFIX = ".meta.json";

    /**
     * One call's objects.
     *
     * @param baseKey the key without extension
     * @param recordings recording objects (one expected)
     * @param transcripts transcript objects (one expected)
     * @param sidecars sidecar objects (at most one)
     * @param others objects of this base name with an extension calleval does not read (ignored)
     */
    public record Group(String baseKey, List<S3Object> recordings, List<S3Object> transcripts, List<S3Object> sidecars, List<S3Object> others) {
        /** Every member, sorted by key. */
        public List<S3Object> members() {
            List<S3Object> all = new ArrayList<>(recordings);
            all.addAll(transcripts);
            all.addAll(sidecars);
            all.addAll(others);
            all.sort(java.util.Comparator.comparing(S3Object::key));
            return all;
        }
    }

    private final Iterator<S3Object> objects;
    private final TreeMap<String, Group> open = new TreeMap<>();
    private final Deque<Group> ready = new ArrayDeque<>();

    /** @param objects the listing, sorted by key (S3's order: UTF-8 binary) */
    public CallGroups(Iterator<S3Object> objects) {
        this.objects = objects;
    }

    /** The base name of a key: without {@code .meta.json}, else without its last extension (the key itself if none). */
    public static String baseKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith(SIDECAR_SUFFIX) && key.length() > SIDECAR_SUFFIX.length()) {
            return key.substring(0, key.length() - SIDECAR_SUFFIX.length());
        }
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot > slash + 1 ? key.substring(0, dot) : key;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && objects.hasNext()) {
            S3Object object = objects.next();
            String key = object.key();
            if (key.endsWith("/")) {
                continue; // a folder marker
            }
            closeGroupsBefore(key);
            String base = baseKey(key);
            Group group = open.computeIfAbsent(base, b -> new Group(b, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
            String extension = key.substring(base.length()).toLowerCase(Locale.ROOT);
            if (extension.equals(SIDECAR_SUFFIX)) {
                group.sidecars().add(object);
            } else if (RECORDING_EXTENSIONS.contains(extension)) {
                group.recordings().add(object);
            } else if (TRANSCRIPT_EXTENSIONS.contains(extension)) {
                group.transcripts().add(object);
            } else {
                group.others().add(object);
            }
        }
        if (ready.isEmpty() && !objects.hasNext()) {
            ready.addAll(open.values());
            open.clear();
        }
        return !ready.isEmpty();
    }

    /** Hands on, in base-name order, the open groups no key from {@code key} on can belong to. */
    private void closeGroupsBefore(String key) {
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, Group> e : open.entrySet()) {
            String base = e.getKey();
            if (!key.startsWith(base + ".") && !key.equals(base)) {
                done.add(base);
            }
        }
        for (String base : done) {
            ready.add(open.remove(base));
        }
    }

    @Override
    public Group next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.removeFirst();
    }

}
