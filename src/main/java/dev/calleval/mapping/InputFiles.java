package dev.calleval.mapping;

import dev.calleval.s3.S3AccessException;
import dev.calleval.s3.S3ConfigurationException;
import dev.calleval.s3.S3Location;
import dev.calleval.s3.S3Storage;
import dev.calleval.source.InputFileException;
import dev.calleval.source.InputLocation;
import dev.calleval.transcript.TranscriptException;
import dev.calleval.transcript.TranscriptInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSON and transcript files a row names, from local disk or S3. An S3 object is read whole (these files
 * are kilobytes; at most {@link #MAX_JSON_BYTES}); failures become {@link InputFileException}s naming the column,
 * the path as written and, for S3, the {@code s3://} location it resolved to.
 */
final class InputFiles {
    /** The largest JSON input read from S3 (sidecar, tool calls, events); transcripts have their own cap. */
    static final long MAX_JSON_BYTES = 64L << 20;

    private final @Nullable S3Storage s3;

    InputFiles(@Nullable S3Storage s3) {
        this.s3 = s3;
    }

    /** The parsed JSON of a sidecar, tool-calls or events file. */
    JsonNode json(InputLocation where, String column, String shownAs) throws InputFileException {
        if (where instanceof InputLocation.S3 object) {
            return JsonInput.parse(bytes(object.location(), column, shownAs, MAX_JSON_BYTES), column, shownAs);
        }
        return JsonInput.read(((InputLocation.Local) where).path(), column, shownAs);
    }

    /**
     * A transcript file as read once.
     *
     * @throws InputFileException the S3 object cannot be read (missing, denied, too large, no S3 access)
     * @throws TranscriptException the file is missing, too large, not UTF-8, empty, or JSON that does not parse
     */
    TranscriptInput transcript(InputLocation where, String shownAs) throws InputFileException, TranscriptException {
        if (where instanceof InputLocation.S3 object) {
            byte[] bytes = bytes(object.location(), "transcript", shownAs, TranscriptInput.MAX_BYTES);
            return TranscriptInput.of(Path.of(object.location().fileName()), shownAs, bytes);
        }
        return TranscriptInput.read(((InputLocation.Local) where).path(), shownAs);
    }

    /** S3 access, or a problem on {@code column} when this mapper has none. */
    static S3Storage require(@Nullable S3Storage s3, String column, String shownAs) throws InputFileException {
        if (s3 == null) {
            throw new InputFileException(column, shownAs + " is in S3, which this mapping cannot read (no S3 access configured)");
        }
        return s3;
    }

    /** The problem for a failed S3 read of {@code column}. */
    static InputFileException problem(S3AccessException e, String column, String shownAs) {
        String where = shownAs.equals(e.location().toString()) ? shownAs : shownAs + " (" + e.location() + ")";
        return new InputFileException(column, e.notFound() ? "object not found: " + where : "cannot read " + where + ": " + e.reason());
    }

    private byte[] bytes(S3Location object, String column, String shownAs, long maxBytes) throws InputFileException {
        S3Storage storage = require(s3, column, shownAs);
        try (InputStream in = storage.open(object)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new InputFileException(column, shownAs + " is larger than " + (maxBytes >> 20) + " MiB: not a " + column + " file");
            }
            return bytes;
        } catch (S3AccessException e) {
            throw problem(e, column, shownAs);
        } catch (S3ConfigurationException e) {
            throw new InputFileException(column, "cannot read " + shownAs + " (" + object + "): " + e.getMessage());
        } catch (IOException e) {
            throw new InputFileException(column, "cannot read " + shownAs + " (" + object + "): " + e.getMessage());
        }
    }
}
