package dev.calleval.transcript;


/**
 * Reads one provider format. Implementations are stateless and thread-safe.
 *
 * <p>{@link #accepts} looks at the content only (keys, header line), never at the file name, and must be specific
 * enough not to claim another format's files. {@link #parse} converts every time exactly to integer milliseconds
 * (seconds as {@code BigDecimal} → ms, rounded half-up) and throws {@link TranscriptException} whose field names the
 * entry, e.g. {@code transcript.results.items[12].start_time}, and whose message names the file.
 */
public interface TranscriptParser {
    TranscriptFormat format();

    /** True when the content is this format. */
    boolean accepts(TranscriptInput input);

    /** Reads the file; call only when {@link #accepts} is true or the format was named. */
    ParsedTranscript parse(TranscriptInput input) throws TranscriptException;

    /**
     * The problem field for an entry path: {@code transcript} plus the path, e.g. {@code results.items[3]} →
     * {@code transcript.results.items[3]}; a path that already starts with the column ({@code transcript[3]},
     * {@code transcript.x}) is used as it is, while a file key that merely begins with the word
     * ({@code transcript_object[2]}, Retell) gets the prefix like any other.
     */
    static String field(String where) {
        return where.equals("transcript") || where.startsWith("transcript[") || where.startsWith("transcript.") ? where : "transcript." + where;
    }
}
