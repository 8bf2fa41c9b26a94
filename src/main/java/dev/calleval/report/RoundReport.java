package dev.calleval.report;

import dev.calleval.ledger.CallResult;
import dev.calleval.ledger.RoundCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report of one execution of a re-evaluation round, in {@code <report.directory>/reevaluate-<job>/<execution id>/}:
 * {@code reevaluation.csv} (one row per call of the round: its state, and the old and new key figures side by side) and
 * {@code summary.json} ({@link RoundSummary}). Text cells are written as {@link ReportWriter} writes them (no formula
 * injection). Stateless.
 */
public final class RoundReport {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final String[] HEADER = {"source_id", "call_id", "state", "in_doubt", "attempts", "sent_at", "result_via",
        "old_status", "new_status", "old_goal_success", "new_goal_success", "old_hallucination", "new_hallucination",
        "old_num_turns", "new_num_turns", "old_agent_speak_percentage", "new_agent_speak_percentage", "old_latency_p50_s",
        "new_latency_p50_s", "old_latency_p90_s", "new_latency_p90_s", "old_custom_metrics", "new_custom_metrics",
        "old_evaluation_id", "new_evaluation_id", "changed", "last_error"};

    private RoundReport() {}

    /**
     * Writes the round's report into {@code directory} (created when missing) and returns its summary.
     *
     * @param header the summary without counts of the round: job, round, execution, status, selection, endpoint and
     *     what this execution did; its totals and {@code changed} are computed from {@code calls}
     * @throws UncheckedIOException when a file cannot be written
     */
    public static RoundSummary write(Path directory, RoundSummary header, List<RoundCall> calls) {
        int evaluated = 0;
        int incomplete = 0;
        int waiting = 0;
        int rejected = 0;
        int failed = 0;
        int inDoubt = 0;
        int changed = 0;
        for (RoundCall c : calls) {
            switch (c.state()) {
                case EVALUATED -> evaluated++;
                case INCOMPLETE -> incomplete++;
                case SENT -> waiting++;
                case REJECTED -> rejected++;
                case FAILED -> failed++;
                case PENDING -> inDoubt++;
            }
            if (changed(c)) {
                changed++;
            }
        }
        RoundSummary summary = new RoundSummary(header.job(), header.round(), header.executionId(), header.status(), header.selection(),
                header.endpoint(), header.execution(), new RoundSummary.RoundTotals(calls.size(), evaluated, incomplete, waiting, rejected, failed,
                        inDoubt), changed, directory.toString());
        try {
            Files.createDirectories(directory);
            try (Writer out = Files.newBufferedWriter(directory.resolve("reevaluation.csv"), StandardCharsets.UTF_8)) {
                writeCalls(out, calls);
            }
            try (Writer out = Files.newBufferedWriter(directory.resolve("summary.json"), StandardCharsets.UTF_8)) {
                out.write(JSON.writeValueAsString(summary));
                out.write(System.lineSeparator());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the round report to " + directory + ": " + e.getMessage(), e);
        }
        return summary;
    }

    /** {@code reevaluation.csv}. Does not close {@code out}. @throws IOException when {@code out} fails */
    public static void writeCalls(Writer out, List<RoundCall> calls) throws IOException {
        CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader(HEADER).get().print(out);
        for (RoundCall c : calls) {
            CallResult o = c.old();
            CallResult n = c.current();
            csv.printRecord(ReportWriter.safe(c.sourceId()), c.callId(), c.state(), c.inDoubt(), c.attempts(), c.sentAt(),
                    n == null ? null : n.via(), o == null ? null : o.bluejayStatus(), n == null ? null : n.bluejayStatus(),
                    o == null ? null : o.goalSuccess(), n == null ? null : n.goalSuccess(),
                    o == null ? null : o.hallucination(), n == null ? null : n.hallucination(),
                    o == null ? null : o.numTurns(), n == null ? null : n.numTurns(),
                    o == null ? null : o.agentSpeakPercentage(), n == null ? null : n.agentSpeakPercentage(),
                    o == null ? null : o.latencyP50(), n == null ? null : n.latencyP50(),
                    o == null ? null : o.latencyP90(), n == null ? null : n.latencyP90(),
                    ReportWriter.safe(o == null ? null : o.customMetricsJson()), ReportWriter.safe(n == null ? null : n.customMetricsJson()),
                    o == null ? null : o.evaluationId(), n == null ? null : n.evaluationId(),
                    n == null ? null : changed(c), ReportWriter.safe(c.lastError()));
        }
        csv.flush();
    }

    /** Whether the new evaluation differs from the old in goal_success, hallucination, num_turns or status. */
    public static boolean changed(RoundCall c) {
        CallResult o = c.old();
        CallResult n = c.current();
        if (o == null || n == null) {
            return false;
        }
        return !Objects.equals(o.goalSuccess(), n.goalSuccess()) || !Objects.equals(o.hallucination(), n.hallucination())
                || !Objects.equals(o.numTurns(), n.numTurns()) || !Objects.equals(o.bluejayStatus(), n.bluejayStatus());
    }

    /**
     * Key figures for one line of the console, with the evaluation id's first 8 characters:
     * {@code goal_success=false hallucination=null num_turns=9 (evaluation 3f34d60c)}; {@code -} for none.
     */
    public static String shown(@Nullable CallResult r) {
        if (r == null) {
            return "-";
        }
        String id = r.evaluationId();
        return "goal_success=" + r.goalSuccess() + " hallucination=" + r.hallucination() + " num_turns=" + r.numTurns()
                + (id == null ? "" : " (evaluation " + id.substring(0, Math.min(8, id.length())) + ")");
    }
}
