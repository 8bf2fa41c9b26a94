package dev.calleval.enrich;

import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.mapping.Problem;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** The outcome of reading one simulation log: an update ready to post, or a rejection. */
public sealed interface MappedUpdate {

    /** The log it came from. */
    SimulationLog log();

    /** The simulation result id; null when the log gives none that is usable. */
    @Nullable String resultId();

    /**
     * A valid update.
     *
     * @param fingerprint SHA-256 (hex) of the body, map keys sorted, so that a changed log can be told from an
     *     unchanged one
     */
    record Accepted(SimulationLog log, UpdateSimulationResultRequest request, String fingerprint) implements MappedUpdate {
        @Override
        public String resultId() {
            return request.simulationResultId();
        }
    }

    /** A log that failed local validation, with every problem found (up to a limit). Never posted. */
    record Rejected(SimulationLog log, @Nullable String resultId, List<Problem> problems) implements MappedUpdate {
        public Rejected {
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a rejection needs at least one problem");
            }
            problems = List.copyOf(problems);
        }

        /** The rejected fields, {@code ;}-separated, e.g. {@code tool_calls[1].start_offset_ms}. */
        public String fields() {
            return problems.stream().map(Problem::field).distinct().collect(Collectors.joining(";"));
        }

        /** All problems, {@code ; }-separated, each as {@code field: reason}. */
        public String reason() {
            return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
        }

        /** The file and every problem, e.g. {@code logs/716978.json: tool_calls[1].start_offset_ms: must be >= 0, got -120}. */
        public String message() {
            return log.file() + ": " + reason();
        }
    }
}
