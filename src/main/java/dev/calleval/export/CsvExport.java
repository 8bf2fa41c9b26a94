package dev.calleval.export;

import static dev.calleval.report.ReportWriter.safe;

import dev.calleval.bluejay.CustomMetricResult;
import dev.calleval.bluejay.Evaluation;
import dev.calleval.bluejay.FillerIgnoredLatency;
import dev.calleval.bluejay.Latency;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;

/**
 * The CSV form of an export (RFC 4180, a header row): the fixed columns of {@link #COLUMNS}, then one
 * {@code metric.<name>} column per custom metric name (its {@code response_value}), in name order. Text cells that a
 * spreadsheet would run as a formula are prefixed with {@code '} (as in {@code calls.csv}); numbers and booleans are
 * written as they are, a missing value as an empty cell.
 */
final class CsvExport implements CallSink {
    /** A fixed column: its header and its cell. {@code text}: a free-text cell that is neutralised against formulas. */
    private record Column(String name, boolean text, Function<ExportedCall, @Nullable Object> value) {}

    /** The fixed columns, in order (docs/export.md lists them). */
    static final List<Column> COLUMNS = List.of(
            // provenance
            text("job", ExportedCall::job),
            number("execution_id", ExportedCall::executionId),
            text("disposition", ExportedCall::disposition),
            text("source", c -> c.source().location()),
            number("line", c -> c.source().line()),
            text("source_id", c -> c.source().sourceId()),
            text("agent", c -> c.source().agent()),
            text("label", c -> c.source().label()),
            text("metadata", c -> c.source().metadata()),
            // Bluejay
            text("endpoint", c -> c.bluejay().endpoint()),
            text("call_id", c -> c.bluejay().callId()),
            text("state", ExportedCall::state),
            text("bluejay_status", c -> c.bluejay().status()),
            text("evaluation_id", c -> c.bluejay().evaluationId()),
            number("evaluation_created_at", c -> eval(c, Evaluation::createdAt)),
            // the evaluation (API reference §2.3)
            number("goal_success", c -> eval(c, Evaluation::goalSuccess)),
            text("goal_reasoning", c -> eval(c, Evaluation::goalReasoning)),
            number("hallucination", c -> eval(c, Evaluation::hallucination)),
            text("hallucination_reasoning", c -> eval(c, Evaluation::hallucinationReasoning)),
            number("redundancy", c -> eval(c, Evaluation::redundancy)),
            text("redundancy_reasoning", c -> eval(c, Evaluation::redundancyReasoning)),
            text("sentiment_label", c -> eval(c, Evaluation::sentimentLabel)),
            number("sentiment_score", c -> eval(c, Evaluation::sentimentScore)),
            text("sentiment_scores", c -> eval(c, e -> e.sentimentScores() == null ? null
                    : dev.calleval.bluejay.BluejayJson.mapper().writeValueAsString(e.sentimentScores()))),
            number("pronunciation_score", c -> eval(c, Evaluation::pronunciationScore)),
            text("pronunciation_reasoning", c -> eval(c, Evaluation::pronunciationReasoning)),
            number("avg_agent_latency", c -> eval(c, Evaluation::avgAgentLatency)),
            number("latency_avg", c -> latency(c, Latency::avgAgentLatency)),
            number("latency_max", c -> latency(c, Latency::maxAgentLatency)),
            number("latency_p50", c -> latency(c, Latency::p50AgentLatency)),
            number("latency_p90", c -> latency(c, Latency::p90AgentLatency)),
            number("latency_p95", c -> latency(c, Latency::p95AgentLatency)),
            number("latency_p99", c -> latency(c, Latency::p99AgentLatency)),
            number("filler_ignored_latency_avg", c -> filler(c, FillerIgnoredLatency::avgFillerIgnoredLatency)),
            number("filler_ignored_latency_p50", c -> filler(c, FillerIgnoredLatency::p50FillerIgnoredLatency)),
            number("filler_ignored_latency_p90", c -> filler(c, FillerIgnoredLatency::p90FillerIgnoredLatency)),
            number("filler_ignored_latency_p95", c -> filler(c, FillerIgnoredLatency::p95FillerIgnoredLatency)),
            number("filler_ignored_latency_p99", c -> filler(c, FillerIgnoredLatency::p99FillerIgnoredLatency)),
            number("num_turns", c -> eval(c, Evaluation::numTurns)),
            number("agent_speak_percentage", c -> eval(c, Evaluation::agentSpeakPercentage)),
            number("custom_evals_success_rate", c -> eval(c, Evaluation::customEvalsSuccessRate)),
            text("call_summary", c -> eval(c, Evaluation::callSummary)),
            // submission history
            number("attempts", c -> c.submission().attempts()),
            number("in_doubt", c -> c.submission().inDoubt()),
            number("first_read_at", c -> c.submission().firstReadAt()),
            number("submitted_at", c -> c.submission().submittedAt()),
            number("result_at", c -> c.submission().resultAt()),
            text("result_via", c -> c.submission().resultVia()),
            text("last_error", c -> c.submission().lastError()),
            number("reevaluations", c -> c.submission().reevaluations()));

    /** The prefix of a custom metric's column. */
    static final String METRIC_PREFIX = "metric.";

    private final CSVPrinter csv;
    private final List<String> metricNames;
    private final List<@Nullable Object> cells;

    /**
     * Writes the header row.
     *
     * @param metricNames every custom metric name of the exported calls, in column order
     * @throws UncheckedIOException when {@code out} fails
     */
    CsvExport(Writer out, Collection<String> metricNames) {
        this.metricNames = List.copyOf(metricNames);
        List<String> header = new ArrayList<>(COLUMNS.stream().map(Column::name).toList());
        this.metricNames.forEach(n -> header.add(METRIC_PREFIX + n));
        this.cells = new ArrayList<>(header.size());
        try {
            this.csv = CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).get().print(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(ExportedCall call) {
        cells.clear();
        for (Column column : COLUMNS) {
            Object value = column.value().apply(call);
            cells.add(column.text() && value instanceof String s ? safe(s) : value);
        }
        for (String name : metricNames) {
            CustomMetricResult m = call.customMetrics().get(name);
            cells.add(m == null ? null : cell(m.responseValue()));
        }
        try {
            csv.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void finish() {
        try {
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Column text(String name, Function<ExportedCall, @Nullable Object> value) {
        return new Column(name, true, value);
    }

    private static Column number(String name, Function<ExportedCall, @Nullable Object> value) {
        return new Column(name, false, value);
    }

    private static @Nullable Object eval(ExportedCall c, Function<Evaluation, @Nullable Object> field) {
        return c.evaluation() == null ? null : field.apply(c.evaluation());
    }

    private static @Nullable Object latency(ExportedCall c, Function<Latency, @Nullable Double> field) {
        return c.evaluation() == null || c.evaluation().latency() == null ? null : field.apply(c.evaluation().latency());
    }

    private static @Nullable Object filler(ExportedCall c, Function<FillerIgnoredLatency, @Nullable Double> field) {
        return c.evaluation() == null || c.evaluation().fillerIgnoredLatency() == null ? null : field.apply(c.evaluation().fillerIgnoredLatency());
    }

    /** A metric value: a number as it is, other text neutralised ({@code ReportWriter.safe}). */
    private static @Nullable String cell(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            Double.parseDouble(value);
            return value;
        } catch (NumberFormatException notANumber) {
            return safe(value);
        }
    }
}
