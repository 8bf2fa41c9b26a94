package dev.calleval.report;

import dev.calleval.transcript.ParsedTranscript;
import dev.calleval.transcript.TranscriptException;
import dev.calleval.transcript.TranscriptFormat;
import dev.calleval.transcript.TranscriptInput;
import dev.calleval.transcript.TranscriptParser;
import dev.calleval.transcript.TranscriptParsers;
import dev.calleval.transcript.Utterance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A call's local transcript file read again for {@code report.html}: its utterances in time order, each with the
 * speaker as the file names it (the role when the format states one, else the provider's label or channel). The
 * file is read as it is now; speakers are not mapped through the job's {@code transcript.speakers} rules.
 */
final class TranscriptPreview {
    /** The most utterances shown per call; the rest are counted. */
    static final int MAX_UTTERANCES = 400;

    private static final List<TranscriptParser> PARSERS = TranscriptParsers.all();

    private TranscriptPreview() {}

    /** One line of the transcript as shown. */
    record Line(long startMs, long endMs, String speaker, String text) {}

    /**
     * @param lines the first {@link #MAX_UTTERANCES} utterances by start time
     * @param more utterances not shown
     * @param problem why the file could not be shown (then {@code lines} is empty), else null
     */
    record Preview(@Nullable String format, List<Line> lines, int more, @Nullable String problem) {}

    /**
     * Reads the file.
     *
     * @param formatId the format id the run read it as, or null to detect it
     */
    static Preview read(Path file, @Nullable String formatId) {
        try {
            TranscriptInput input = TranscriptInput.read(file, file.getFileName() == null ? file.toString() : file.getFileName().toString());
            TranscriptParser parser = parser(input, formatId);
            ParsedTranscript parsed = parser.parse(input);
            List<Utterance> ordered = new ArrayList<>(parsed.utterances());
            ordered.sort(Comparator.comparingLong(Utterance::startMs).thenComparingLong(Utterance::endMs));
            List<Line> lines = new ArrayList<>(Math.min(ordered.size(), MAX_UTTERANCES));
            for (Utterance u : ordered.subList(0, Math.min(ordered.size(), MAX_UTTERANCES))) {
                String speaker = u.role() != null ? u.role().name() : u.speaker() != null ? u.speaker() : u.channel() != null ? "channel " + u.channel() : "?";
                lines.add(new Line(u.startMs(), u.endMs(), speaker, u.text()));
            }
            return new Preview(parsed.format().id(), lines, Math.max(0, ordered.size() - MAX_UTTERANCES), null);
        } catch (TranscriptException e) {
            return new Preview(formatId, List.of(), 0, e.getMessage());
        } catch (RuntimeException e) {
            return new Preview(formatId, List.of(), 0, "cannot be read now: " + e.getMessage());
        }
    }

    private static TranscriptParser parser(TranscriptInput input, @Nullable String formatId) throws TranscriptException {
        if (formatId != null) {
            try {
                TranscriptFormat format = TranscriptFormat.of(formatId);
                for (TranscriptParser p : PARSERS) {
                    if (p.format() == format && p.accepts(input)) {
                        return p;
                    }
                }
            } catch (IllegalArgumentException e) {
                // an id this version does not know: detect instead
            }
        }
        for (TranscriptParser p : PARSERS) {
            if (p.accepts(input)) {
                return p;
            }
        }
        throw new TranscriptException("transcript", "is in no transcript format calleval knows now");
    }

    /** {@code m:ss.s} from call start. */
    static String time(long ms) {
        long tenths = ms / 100;
        return (tenths / 600) + ":" + String.format(java.util.Locale.ROOT, "%02d.%d", (tenths / 10) % 60, tenths % 10);
    }
}
