package dev.calleval.transcript;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON helpers for the speech-to-text provider parsers (Deepgram, AssemblyAI): the file's tree with every decimal
 * number read as the {@link BigDecimal} of its text, and field readers whose errors name the entry and the file.
 */
final class SpeechJson {
    /** Reads fractions as BigDecimal: {@code 3.14} stays 3.14 whatever its length, never a binary double. */
    private static final JsonMapper EXACT = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private SpeechJson() {}

    /**
     * The file's JSON again, with exact decimals ({@link TranscriptInput#json()} holds doubles, which are exact only up
     * to 15 significant digits).
     */
    static JsonNode exactTree(TranscriptInput input) throws TranscriptException {
        try {
            return EXACT.readTree(input.text());
        } catch (JacksonException e) {
            throw new TranscriptException("transcript", input.shownAs() + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The entry itself, which must be a JSON object. */
    static JsonNode object(JsonNode node, String where, String shownAs) throws TranscriptException {
        if (!node.isObject()) {
            throw new TranscriptException(TranscriptParser.field(where), where + " is " + Times.describe(node)
                    + ", expected a JSON object, in " + shownAs);
        }
        return node;
    }

    /** A list that must be there: {@code where} names it, e.g. {@code results.channels}. */
    static JsonNode array(@Nullable JsonNode node, String where, String shownAs) throws TranscriptException {
        if (node == null || !node.isArray()) {
            throw new TranscriptException(TranscriptParser.field(where), where + " is " + Times.describe(node)
                    + ", expected a list, in " + shownAs);
        }
        return node;
    }

    /** A required string field. */
    static String text(JsonNode entry, String name, String where, String shownAs) throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || !value.isString()) {
            throw new TranscriptException(TranscriptParser.field(where) + "." + name, where + "." + name + " is " + Times.describe(value)
                    + ", expected a string, in " + shownAs);
        }
        return value.asString();
    }

    /**
     * An optional whole number ≥ {@code min} (a speaker or channel number), as a JSON integer or, when
     * {@code digitsToo}, a string of digits; null when missing or null.
     */
    static @Nullable Integer optionalNumber(JsonNode entry, String name, int min, boolean digitsToo, String where, String shownAs)
            throws TranscriptException {
        JsonNode value = entry.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        BigDecimal number = value.isNumber() || (digitsToo && value.isString() && value.asString().strip().matches("\\d{1,9}"))
                ? Times.decimal(value) : null;
        if (number == null || number.stripTrailingZeros().scale() > 0 || number.compareTo(BigDecimal.valueOf(min)) < 0
                || number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw new TranscriptException(TranscriptParser.field(where) + "." + name, where + "." + name + " is " + Times.describe(value)
                    + ", expected a whole number from " + min + ", in " + shownAs);
        }
        return number.intValueExact();
    }
}
