package dev.calleval.transcript;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A transcript file as read once: its text (UTF-8, byte order mark removed) and, when it is JSON, the parsed tree.
 *
 * @param shownAs the path as the manifest wrote it, for messages
 */
public record TranscriptInput(Path file, String shownAs, String text, @Nullable JsonNode json) {
    /** The largest transcript file read (a call's transcript is kilobytes; this guards against a wrong file). */
    public static final long MAX_BYTES = 64L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Reads a file.
     *
     * @throws TranscriptException missing, too large, not UTF-8, or JSON that does not parse (field {@code transcript})
     */
    public static TranscriptInput read(Path file, String shownAs) throws TranscriptException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new TranscriptException("transcript", shownAs + " is larger than " + (MAX_BYTES >> 20) + " MiB: not a transcript");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TranscriptException("transcript", "file not found: " + shownAs);
        } catch (IOException e) {
            throw new TranscriptException("transcript", "cannot read " + shownAs + ": " + e.getMessage());
        }
        return of(file, shownAs, bytes);
    }

    /** An input from bytes already in memory (tests, S3 objects). */
    public static TranscriptInput of(Path file, String shownAs, byte[] bytes) throws TranscriptException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new TranscriptException("transcript", shownAs + " is not UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String head = text.stripLeading();
        JsonNode json = null;
        if (head.startsWith("{") || head.startsWith("[")) {
            try {
                json = JSON.readTree(text);
            } catch (JacksonException e) {
                throw new TranscriptException("transcript", shownAs + " is not valid JSON"
                        + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())
                        + ": " + e.getOriginalMessage());
            }
        }
        if (text.isBlank()) {
            throw new TranscriptException("transcript", shownAs + " is empty");
        }
        return new TranscriptInput(file, shownAs, text, json);
    }
}
