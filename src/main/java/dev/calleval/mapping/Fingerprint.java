package dev.calleval.mapping;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.RecordingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fingerprint the ledger keeps per call, so that a changed input can be told from an unchanged one on a rerun:
 * SHA-256 (64 lower-case hex digits) of the request body as sent, with an inline recording standing in as its
 * identity and size, map entries (metadata) ordered by key. The form is fixed: fingerprints already in a ledger must
 * still match (before 2026-12-06, a call with two or more metadata keys got a fingerprint that changed with the
 * process; such a call's fingerprint is now stable and differs once from the one recorded).
 */
final class Fingerprint {
    private static final JsonMapper FINGERPRINT_JSON = BluejayJson.mapper().rebuild()
            .addMixIn(RecordingData.class, RecordingFingerprint.class)
            // metadata and other maps by key: the same input gives the same fingerprint in every process
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Fingerprint() {}

    /**
     * SHA-256 of the request body, with an inline recording as its identity: a local file's absolute path, size and
     * modification time (read from the file system here), or an S3 object's location and ETag, and its size.
     */
    static String of(EvaluateRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(FINGERPRINT_JSON.writeValueAsBytes(request)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @JsonSerialize(using = RecordingFingerprint.Serializer.class)
    abstract static class RecordingFingerprint {
        static final class Serializer extends ValueSerializer<RecordingData> {
            @Override
            public void serialize(RecordingData value, JsonGenerator gen, SerializationContext ctxt) {
                Path file = value.file();
                if (file != null) { // the form of earlier versions, so that fingerprints in the ledger still match
                    long modified;
                    try {
                        modified = Files.getLastModifiedTime(file).toMillis();
                    } catch (java.io.IOException e) {
                        modified = -1;
                    }
                    gen.writeString(file.toAbsolutePath() + ":" + value.sizeBytes() + ":" + modified);
                } else {
                    gen.writeString(value.content().identity() + ":" + value.sizeBytes());
                }
            }
        }
    }
}
