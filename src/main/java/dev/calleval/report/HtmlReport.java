package dev.calleval.report;

import dev.calleval.jobfile.QualitySettings;
import dev.calleval.quality.Comparison;
import dev.calleval.quality.Nights;
import dev.calleval.quality.Thresholds;
import dev.calleval.report.ExecutionRecords.ExecutionCallRow;
import dev.calleval.report.ExecutionRecords.RejectionRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import static dev.calleval.report.Html.esc;

/**
 * Writes {@code report.html} of one job execution: a single self-contained page (inline CSS, inline SVG charts
 * drawn here, no script, no external resource; a Content-Security-Policy forbids both) with
 * <ul>
 *   <li>the execution: job, status, source, times, rows read, HTTP requests;</li>
 *   <li>outcome counts (where each input row ended, as in {@code summary.json});</li>
 *   <li>the job's trend: its last {@link #TREND_EXECUTIONS} executions, and the figures that regressed in this one
 *       ({@code TrendSection});</li>
 *   <li>goal success and hallucination rates over the calls with a result;</li>
 *   <li>the distribution of the calls' agent response latency, Bluejay's per-call p50 and p90 (seconds);</li>
 *   <li>each custom metric's results: pass/fail counts, scores (mean, min, max) or text values;</li>
 *   <li>the calls, in input order, each with its transcript in a row of its own under the call's, spanning the table
 *       (a link to the file, and its utterances in a collapsed {@code <details>}, up to {@link #MAX_INLINE_TRANSCRIPTS} characters of them per page); at most
 *       {@link #MAX_CALL_ROWS}, the rest are in {@code calls.csv};</li>
 *   <li>the rejected rows with where, fields and reason; at most {@link #MAX_REJECT_ROWS}, the rest in
 *       {@code rejects.csv}.</li>
 * </ul>
 * Every text from input, the ledger or Bluejay is HTML-escaped. Figures come from the ledger (see
 * {@link CallStatistics}); the calls are streamed once, so memory stays small for large runs.
 *
 * <p>This class assembles the page; each part is written by a package-private class of its own:
 * {@code ExecutionSections} (header, outcomes), {@code ResultSections} (rates, latency, custom metrics),
 * {@code CallTable}, {@code RejectTable}, and {@code ReportStyle} (CSS and colours).
 */
@Component
class HtmlReport {
    /** Calls listed in the table; every call is in {@code calls.csv}. */
    public static final int MAX_CALL_ROWS = 1000;
    /** Rejected rows listed; every one is in {@code rejects.csv}. */
    public static final int MAX_REJECT_ROWS = 1000;
    /** Characters of transcripts shown inline per page; past it, transcripts are only linked. */
    static final long MAX_INLINE_TRANSCRIPTS = 2_000_000;

    /**
     * One colour per row of {@link RunSummary.Counts#rows()}, in that order; see {@code ExecutionSections}.
     */
    static final List<String> OUTCOME_COLORS = ExecutionSections.OUTCOME_COLORS;

    /** Executions shown in the trend section, this one included. */
    static final int TREND_EXECUTIONS = 10;

    private final ExecutionRecords ledger;
    private final Nights nights;
    private final Clock clock;

    /**
     * @param ledger where the execution's calls and rejected rows are read
     * @param nights the job's executions for the trend section
     * @param clock the time written in the footer
     */
    public HtmlReport(ExecutionRecords ledger, Nights nights, Clock clock) {
        this.ledger = ledger;
        this.nights = nights;
        this.clock = clock;
    }

    /** {@link #write(Writer, RunSummary, Path, QualitySettings)} judging the trend by the default thresholds. */
    public void write(Writer out, RunSummary summary, Path pageDirectory) {
        write(out, summary, pageDirectory, null);
    }

    /**
     * Writes the page.
     *
     * @param summary the execution's summary (as in {@code summary.json})
     * @param pageDirectory the directory the page will be opened from: transcript links are relative to it
     * @param quality the job's {@code quality:} section, which the trend is judged by; null: the default thresholds
     * @throws UncheckedIOException when {@code out} fails
     */
    public void write(Writer out, RunSummary summary, Path pageDirectory, @Nullable QualitySettings quality) {
        CallStatistics stats = new CallStatistics();
        List<ExecutionCallRow> shown = new ArrayList<>();
        ledger.forEachExecutionCall(summary.executionId(), row -> {
            stats.add(row);
            if (shown.size() < MAX_CALL_ROWS) {
                shown.add(row);
            }
        });
        List<RejectionRow> rejects = new ArrayList<>();
        long[] rejectCount = {0};
        ledger.forEachRejection(summary.executionId(), row -> {
            rejectCount[0]++;
            if (rejects.size() < MAX_REJECT_ROWS) {
                rejects.add(row);
            }
        });
        Comparison comparison = quality == null ? new Comparison(Thresholds.DEFAULTS, Comparison.DEFAULT_ALPHA) : quality.comparison();
        Nights.Trend trend = nights.trend(summary.job(), summary.executionId(), TREND_EXECUTIONS,
                quality == null ? QualitySettings.DEFAULT_BASELINE_LAST : quality.baselineLast(), comparison);
        try {
            out.write(page(summary, stats, shown, rejects, rejectCount[0], pageDirectory, trend));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String page(RunSummary s, CallStatistics stats, List<ExecutionCallRow> calls, List<RejectionRow> rejects, long rejectCount,
            Path pageDirectory, Nights.Trend trend) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = s.job() + " — execution " + s.executionId();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>calleval report: ").append(esc(title)).append("</title><style>").append(ReportStyle.CSS).append("</style></head>\n<body>\n");
        ExecutionSections.header(h, s, title);
        ExecutionSections.outcomes(h, s);
        TrendSection.trend(h, s.job(), trend);
        ResultSections.judgements(h, s, stats);
        ResultSections.latency(h, stats);
        ResultSections.customMetrics(h, stats);
        CallTable.callTable(h, s, stats, calls, pageDirectory);
        RejectTable.rejectTable(h, rejects, rejectCount);
        String version = HtmlReport.class.getPackage().getImplementationVersion();
        h.append("<footer>Written by calleval ").append(esc(version == null ? "(development build)" : version)).append(" on ")
                .append(esc(ExecutionSections.TIME.format(clock.instant()))).append(" from the ledger. The same data: <code>summary.json</code>, ")
                .append("<code>calls.csv</code>, <code>rejects.csv</code>; regenerate with <code>calleval report ").append(s.executionId())
                .append(" --format html</code>.</footer>\n</body></html>\n");
        return h.toString();
    }
}
