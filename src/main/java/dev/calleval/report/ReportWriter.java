package dev.calleval.report;

import dev.calleval.ledger.Disposition;
import dev.calleval.ledger.LedgerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the report of one job execution to {@code <directory>/<job>/<execution id>/}: {@code calls.csv},
 * {@code rejects.csv}, {@code summary.json} and {@code report.html} (see {@link HtmlReport}), streaming rows from the
 * ledger. Text cells that a spreadsheet would run as a formula (starting with {@code = + - @}) are prefixed with
 * {@code '}. Each file can also be written on its own to any writer ({@code calleval report}).
 */
@Component
public class ReportWriter {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final ExecutionRecords ledger;
    private final HtmlReport html;

    public ReportWriter(ExecutionRecords ledger, HtmlReport html) {
        this.ledger = ledger;
        this.html = html;
    }

    /**
     * Facts about the execution that the ledger does not hold.
     *
     * @param endpoint the Bluejay endpoint the execution sent to ({@code sandbox} or a normalised base URL); null for an
     *     execution from before endpoints were recorded
     */
    public record ExecutionInfo(String job, long executionId, String status, @Nullable String exitDescription,
            @Nullable Instant startTime, @Nullable Instant endTime, String source, @Nullable String endpoint, long rowsRead,
            RunSummary.Requests requests) {}

    /**
     * Writes the four files and returns the summary.
     *
     * @throws UncheckedIOException when the directory or a file cannot be written
     */
    public RunSummary write(Path baseDirectory, ExecutionInfo info) {
        return write(baseDirectory, info, null);
    }

    /**
     * Writes the four files and returns the summary; the trend section of {@code report.html} is judged by
     * {@code quality} (the job's {@code quality:} section; null: the default thresholds).
     *
     * @throws UncheckedIOException when the directory or a file cannot be written
     */
    public RunSummary write(Path baseDirectory, ExecutionInfo info, dev.calleval.jobfile.@Nullable QualitySettings quality) {
        Path dir = baseDirectory.resolve(info.job()).resolve(Long.toString(info.executionId()));
        try {
            Files.createDirectories(dir);
            try (Writer out = Files.newBufferedWriter(dir.resolve("calls.csv"), StandardCharsets.UTF_8)) {
                writeCalls(out, info.executionId());
            }
            try (Writer out = Files.newBufferedWriter(dir.resolve("rejects.csv"), StandardCharsets.UTF_8)) {
                writeRejects(out, info.executionId());
            }
            RunSummary summary = summarize(info, dir);
            try (Writer out = Files.newBufferedWriter(dir.resolve("summary.json"), StandardCharsets.UTF_8)) {
                writeSummary(out, summary);
            }
            try (Writer out = Files.newBufferedWriter(dir.resolve("report.html"), StandardCharsets.UTF_8)) {
                html.write(out, summary, dir, quality);
            }
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The counts of an execution, from the ledger. */
    public RunSummary summarize(ExecutionInfo info, Path dir) {
        long evaluated = 0, incomplete = 0, waiting = 0, overdue = 0, failed = 0, inDoubt = 0, rejected = 0, alreadyDone = 0, runningElsewhere = 0,
                resent = 0, submitted = 0, notSampled = 0, deferred = 0;
        for (Map.Entry<String, Long> e : ledger.dispositionCounts(info.executionId()).entrySet()) {
            String[] parts = e.getKey().split("/");
            Disposition disposition = Disposition.valueOf(parts[0]);
            LedgerState state = LedgerState.valueOf(parts[1]);
            long n = e.getValue();
            switch (disposition) {
                case ALREADY_DONE -> alreadyDone += n;
                case RUNNING_ELSEWHERE -> runningElsewhere += n;
                case ALREADY_REJECTED -> rejected += n;
                case NOT_SAMPLED -> notSampled += n;
                case DEFERRED -> deferred += n;
                case CLAIMED, IN_DOUBT_RESENT -> {
                    if (disposition == Disposition.IN_DOUBT_RESENT) {
                        resent += n;
                    }
                    if (state.isAccepted()) {
                        submitted += n;
                    }
                    switch (state) {
                        case EVALUATED -> evaluated += n;
                        case INCOMPLETE -> incomplete += n;
                        case SUBMITTED -> waiting += n;
                        case OVERDUE -> overdue += n;
                        case FAILED -> failed += n;
                        case PENDING -> inDoubt += n;
                        case REJECTED -> rejected += n;
                        case NOT_SAMPLED -> notSampled += n; // a later run left it out (its sample or cap): not sent since
                        case DEFERRED -> deferred += n;
                    }
                }
            }
        }
        rejected += ledger.localRejectionCount(info.executionId());
        RunSummary.Counts counts = new RunSummary.Counts(evaluated, incomplete, waiting, overdue, failed, inDoubt, rejected, alreadyDone,
                runningElsewhere, resent, notSampled, deferred);
        return new RunSummary(info.job(), info.executionId(), info.status(), info.exitDescription(), info.startTime(), info.endTime(),
                info.source(), info.endpoint(), info.rowsRead(), submitted, counts, counts.total() == info.rowsRead(),
                ledger.runningElsewhereOwners(info.executionId()), info.requests(), dir.toString());
    }

    /**
     * {@code summary.json}: the summary as indented JSON with snake_case names. Does not close {@code out}.
     *
     * @throws IOException when {@code out} fails
     */
    public void writeSummary(Writer out, RunSummary summary) throws IOException {
        out.write(JSON.writeValueAsString(summary));
        out.write(System.lineSeparator());
        out.flush();
    }

    /** {@code report.html}; transcript links are relative to {@code pageDirectory}. Does not close {@code out}. */
    public void writeHtml(Writer out, RunSummary summary, Path pageDirectory) {
        writeHtml(out, summary, pageDirectory, null);
    }

    /** {@code report.html} with its trend judged by {@code quality} (null: the default thresholds). Does not close {@code out}. */
    public void writeHtml(Writer out, RunSummary summary, Path pageDirectory, dev.calleval.jobfile.@Nullable QualitySettings quality) {
        html.write(out, summary, pageDirectory, quality);
    }

    /**
     * {@code calls.csv}: one row per call the execution read, in input order; {@code endpoint} (last column) is the
     * Bluejay endpoint the row's ledger entry belongs to, the one {@code call_id} is an id at; {@code redactions} what
     * redaction replaced before the call was sent, per type ({@code email=1;phone=2}; empty when the job does not redact
     * or nothing was found). Does not close {@code out}.
     *
     * @throws IOException when {@code out} fails
     */
    public void writeCalls(Writer out, long executionId) throws IOException {
        CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader("line", "source", "source_id", "disposition", "state",
                "call_id", "attempts", "in_doubt", "bluejay_status", "result_via", "goal_success", "hallucination",
                "num_turns", "agent_speak_percentage", "latency_p50_s", "latency_p90_s", "custom_metrics", "last_error", "endpoint",
                "redactions").get().print(out);
        ledger.forEachExecutionCall(executionId, row -> {
            try {
                csv.printRecord(row.line(), safe(row.sourceRef()), safe(row.sourceId()), row.disposition(), row.state(), row.callId(),
                        row.attempts(), row.inDoubt(), row.bluejayStatus(), row.resultVia(), row.goalSuccess(), row.hallucination(),
                        row.numTurns(), row.agentSpeakPercentage(), row.latencyP50(), row.latencyP90(), safe(row.customMetricsJson()),
                        safe(row.lastError()), row.endpoint(), row.redactions());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        csv.flush();
    }

    /**
     * {@code rejects.csv}: one row per rejected input row, in input order. Does not close {@code out}.
     *
     * @throws IOException when {@code out} fails
     */
    public void writeRejects(Writer out, long executionId) throws IOException {
        CSVPrinter csv = CSVFormat.RFC4180.builder().setHeader("line", "source", "source_id", "fields", "reason", "origin").get().print(out);
        ledger.forEachRejection(executionId, row -> {
            try {
                csv.printRecord(row.line(), safe(row.sourceRef()), safe(row.sourceId()), safe(row.fields()), safe(row.reason()), row.origin());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        csv.flush();
    }

    /**
     * Neutralises spreadsheet formulas in a text cell: a text starting with {@code =}, {@code +}, {@code -}, {@code @},
     * tab or CR gets a leading {@code '}. Also used by {@code calleval export}'s CSV and the plan of {@code run --dry-run}.
     */
    public static @Nullable String safe(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
    }
}
