package dev.calleval.report;

import static dev.calleval.report.Html.count;
import static dev.calleval.report.Html.esc;
import static dev.calleval.report.Html.num;
import static dev.calleval.report.Html.percent;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.ledger.Disposition;
import dev.calleval.report.ExecutionRecords.ExecutionCallRow;
import dev.calleval.report.ExecutionRecords.RejectionRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code report.html} of one job execution: a single self-contained page (inline CSS, inline SVG charts
 * drawn here, no script, no external resource; a Content-Security-Policy forbids both) with
 * <ul>
 *   <li>the execution: job, status, source, times, rows read, HTTP requests;</li>
 *   <li>outcome counts (where each input row ended, as in {@code summary.json});</li>
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
 */
@Component
public class HtmlReport {
    /** Calls listed in the table; every call is in {@code calls.csv}. */
    public static final int MAX_CALL_ROWS = 1000;
    /** Rejected rows listed; every one is in {@code rejects.csv}. */
    public static final int MAX_REJECT_ROWS = 1000;
    /** Characters of transcripts shown inline per page; past it, transcripts are only linked. */
    static final long MAX_INLINE_TRANSCRIPTS = 2_000_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final String GREEN = "#2e7d32";
    private static final String RED = "#c62828";
    private static final String GREY = "#9aa5b1";
    private static final String BLUE = "#1e63b4";
    private static final String LIGHT_BLUE = "#7fb2e5";

    private final ExecutionRecords ledger;
    private final Clock clock;

    public HtmlReport(ExecutionRecords ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Writes the page.
     *
     * @param summary the execution's summary (as in {@code summary.json})
     * @param pageDirectory the directory the page will be opened from: transcript links are relative to it
     * @throws UncheckedIOException when {@code out} fails
     */
    public void write(Writer out, RunSummary summary, Path pageDirectory) {
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
        try {
            out.write(page(summary, stats, shown, rejects, rejectCount[0], pageDirectory));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String page(RunSummary s, CallStatistics stats, List<ExecutionCallRow> calls, List<RejectionRow> rejects, long rejectCount,
            Path pageDirectory) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = s.job() + " — execution " + s.executionId();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>calleval report: ").append(esc(title)).append("</title><style>").append(CSS).append("</style></head>\n<body>\n");
        header(h, s, title);
        outcomes(h, s);
        judgements(h, s, stats);
        latency(h, stats);
        customMetrics(h, stats);
        callTable(h, s, stats, calls, pageDirectory);
        rejectTable(h, rejects, rejectCount);
        String version = HtmlReport.class.getPackage().getImplementationVersion();
        h.append("<footer>Written by calleval ").append(esc(version == null ? "(development build)" : version)).append(" on ")
                .append(esc(TIME.format(clock.instant()))).append(" from the ledger. The same data: <code>summary.json</code>, ")
                .append("<code>calls.csv</code>, <code>rejects.csv</code>; regenerate with <code>calleval report ").append(s.executionId())
                .append(" --format html</code>.</footer>\n</body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, RunSummary s, String title) {
        h.append("<header><h1>").append(esc(title)).append(" <span class=\"status status-").append(esc(s.status())).append("\">")
                .append(esc(s.status())).append("</span></h1>\n<table class=\"facts\">");
        fact(h, "source", esc(s.source()));
        fact(h, "Bluejay endpoint", s.endpoint() == null ? "– (not recorded)" : "<code>" + esc(s.endpoint()) + "</code>"
                + (BluejayEndpoint.SANDBOX_KEY.equals(s.endpoint()) ? " (the embedded sandbox: nothing reached the real API)" : ""));
        if (s.exitDescription() != null) {
            fact(h, "why it ended so", esc(s.exitDescription()));
        }
        fact(h, "started", esc(s.startTime() == null ? "–" : TIME.format(s.startTime())));
        fact(h, "ended", esc(s.endTime() == null ? "– (still running, or stopped without ending)" : TIME.format(s.endTime()))
                + (s.startTime() != null && s.endTime() != null ? " (" + esc(duration(s.startTime(), s.endTime())) + ")" : ""));
        fact(h, "rows read", count(s.rowsRead()));
        fact(h, "submitted by this run", count(s.submittedThisRun()));
        RunSummary.Requests r = s.requests();
        fact(h, "HTTP requests", count(r.attempts()) + " (429: " + count(r.tooManyRequests()) + ", retries: " + count(r.retries())
                + ", in doubt: " + count(r.inDoubt()) + ")");
        fact(h, "counts add up", s.countsAddUp() ? "yes: every row read is in exactly one outcome"
                : "<strong class=\"bad\">NO</strong>: the outcomes add up to " + count(s.counts().total()) + ", not " + count(s.rowsRead()));
        h.append("</table></header>\n");
    }

    private static void fact(StringBuilder h, String name, String html) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(html).append("</td></tr>");
    }

    private static String duration(Instant start, Instant end) {
        Duration d = Duration.between(start, end);
        long seconds = Math.max(0, d.toSeconds());
        return seconds >= 3600 ? "%dh %02dm %02ds".formatted(seconds / 3600, (seconds / 60) % 60, seconds % 60)
                : seconds >= 60 ? "%dm %02ds".formatted(seconds / 60, seconds % 60) : num(d.toMillis() / 1000.0, 1) + " s";
    }

    /**
     * One colour per row of {@link RunSummary.Counts#rows()}, in that order: evaluated, incomplete, waiting for result,
     * overdue, failed, in doubt, rejected, already done, running elsewhere (teal: not sent by this run, like already
     * done, but still on its way, so not the grey of a finished call).
     */
    static final List<String> OUTCOME_COLORS = List.of(GREEN, "#f0a202", "#1e88e5", "#ef6c00", RED, "#7b3fa0", "#8d4b3c", GREY, "#00838f");

    private static void outcomes(StringBuilder h, RunSummary s) {
        h.append("<section id=\"outcomes\"><h2>Outcomes</h2><p>Where each of the ").append(count(s.rowsRead()))
                .append(" rows read ended (the ledger state of its call now).</p>");
        List<SvgCharts.Bar> bars = new ArrayList<>();
        List<Object[]> rows = s.counts().rows();
        if (rows.size() != OUTCOME_COLORS.size()) {
            throw new IllegalStateException(rows.size() + " outcomes but " + OUTCOME_COLORS.size() + " outcome colours");
        }
        for (int i = 0; i < rows.size(); i++) {
            bars.add(new SvgCharts.Bar((String) rows.get(i)[0], ((Number) rows.get(i)[1]).longValue(), OUTCOME_COLORS.get(i)));
        }
        h.append(SvgCharts.horizontalBars("chart-outcomes", "Outcome counts", bars));
        if (s.counts().inDoubtResent() > 0) {
            h.append("<p>").append(count(s.counts().inDoubtResent())).append(" of the calls sent were sent again after an earlier run left them in doubt.</p>");
        }
        h.append("</section>\n");
    }

    private static void judgements(StringBuilder h, RunSummary s, CallStatistics stats) {
        h.append("<section id=\"judgements\"><h2>Goal success and hallucination</h2>");
        if (stats.withResult == 0) {
            h.append("<p class=\"empty\">No call of this execution has a result yet: rates, latencies and custom metrics appear once ")
                    .append("Bluejay's results arrive. Regenerate the page later with <code>calleval report ").append(s.executionId())
                    .append(" --format html</code>.</p></section>\n");
            return;
        }
        h.append("<p>Over the ").append(count(stats.withResult)).append(" calls with a result (Bluejay's newest evaluation of each).</p>");
        CallStatistics.Judgement goal = stats.goalSuccess;
        h.append("<h3>Goal success: ").append(goal.judged() == 0 ? "not judged" : esc(percent(goal.yes, goal.judged())) + " of "
                + count(goal.judged()) + " judged calls").append("</h3>");
        h.append(SvgCharts.stackedBar("chart-goal-success", "Goal success", List.of(
                new SvgCharts.Bar("goal reached", goal.yes, GREEN), new SvgCharts.Bar("goal not reached", goal.no, RED),
                new SvgCharts.Bar("not judged", goal.notJudged, GREY))));
        CallStatistics.Judgement hal = stats.hallucination;
        h.append("<h3>Hallucination: ").append(hal.judged() == 0 ? "not judged" : esc(percent(hal.yes, hal.judged())) + " of "
                + count(hal.judged()) + " judged calls").append("</h3>");
        h.append(SvgCharts.stackedBar("chart-hallucination", "Hallucination", List.of(
                new SvgCharts.Bar("hallucinated", hal.yes, RED), new SvgCharts.Bar("no hallucination", hal.no, GREEN),
                new SvgCharts.Bar("not judged", hal.notJudged, GREY))));
        if (goal.judged() == 0 && hal.judged() == 0) {
            h.append("<p class=\"note\">No result carries a judgement (for instance the sandbox, which never judges).</p>");
        }
        h.append("</section>\n");
    }

    private static void latency(StringBuilder h, CallStatistics stats) {
        if (stats.withResult == 0) {
            return;
        }
        h.append("<section id=\"latency\"><h2>Agent response latency</h2>");
        CallStatistics.Samples p50 = stats.latencyP50;
        CallStatistics.Samples p90 = stats.latencyP90;
        if (p50.size() == 0 && p90.size() == 0) {
            h.append("<p class=\"empty\">No result carries latency figures.</p></section>\n");
            return;
        }
        h.append("<p>Per call, Bluejay reports the median (p50) and the 90th percentile (p90) of the time the agent took to answer; ")
                .append("below, how those per-call figures are spread over the calls.</p>");
        h.append("<table class=\"figures\"><thead><tr><th>per-call figure</th><th>calls</th><th>median call</th><th>90 % of calls below</th>")
                .append("<th>slowest call</th></tr></thead><tbody>");
        latencyRow(h, "p50 latency (s)", p50);
        latencyRow(h, "p90 latency (s)", p90);
        h.append("</tbody></table>");
        double top = Math.max(p90.size() > 0 ? p90.percentile(99) : 0, p50.size() > 0 ? p50.percentile(99) : 0);
        double width = SvgCharts.niceBinWidth(top, 12);
        int bins = Math.min(16, (int) Math.floor(top / width) + 2);
        h.append(SvgCharts.histogram("chart-latency", "Calls by agent response latency", width, "seconds", "s",
                List.of(p50.histogram(width, bins), p90.histogram(width, bins)), List.of(BLUE, LIGHT_BLUE),
                List.of("p50 of the call", "p90 of the call")));
        h.append("</section>\n");
    }

    private static void latencyRow(StringBuilder h, String name, CallStatistics.Samples samples) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(count(samples.size())).append("</td><td>")
                .append(num(samples.percentile(50), 3)).append("</td><td>").append(num(samples.percentile(90), 3)).append("</td><td>")
                .append(num(samples.max(), 3)).append("</td></tr>");
    }

    private static void customMetrics(StringBuilder h, CallStatistics stats) {
        if (stats.withResult == 0) {
            return;
        }
        h.append("<section id=\"custom-metrics\"><h2>Custom metrics</h2>");
        if (stats.metrics.isEmpty()) {
            h.append("<p class=\"empty\">No result carries custom metric values.</p>");
        }
        int i = 0;
        for (Map.Entry<String, CallStatistics.Metric> e : stats.metrics.entrySet()) {
            String id = "chart-metric-" + i++;
            CallStatistics.Metric m = e.getValue();
            h.append("<div class=\"metric\"><h3>").append(esc(e.getKey())).append("</h3>");
            switch (m.kind()) {
                case PASS_FAIL -> {
                    h.append("<p>pass rate ").append(esc(percent(m.pass, m.pass + m.fail))).append(" of ").append(count(m.pass + m.fail))
                            .append(" calls judged</p>");
                    h.append(SvgCharts.stackedBar(id, e.getKey(), List.of(new SvgCharts.Bar("pass", m.pass, GREEN),
                            new SvgCharts.Bar("fail", m.fail, RED), new SvgCharts.Bar("not applicable", m.notApplicable, GREY))));
                }
                case SCORE -> h.append("<p class=\"score\">score: mean <strong>").append(num(m.scoreSum / m.scores, 2)).append("</strong>, min ")
                        .append(num(m.scoreMin, 2)).append(", max ").append(num(m.scoreMax, 2)).append(" over ").append(count(m.scores))
                        .append(" calls").append(m.notApplicable + m.pass + m.fail > 0
                                ? "; " + count(m.notApplicable + m.pass + m.fail) + " without a number" : "").append("</p>");
                case TEXT -> {
                    List<SvgCharts.Bar> bars = new ArrayList<>();
                    m.categories.forEach((value, n) -> bars.add(new SvgCharts.Bar(shorten(value, 28), n, BLUE)));
                    if (m.otherCategories > 0) {
                        bars.add(new SvgCharts.Bar("other values", m.otherCategories, GREY));
                    }
                    long counted = m.pass + m.fail + m.notApplicable + m.scores;
                    if (counted > 0) {
                        bars.add(new SvgCharts.Bar("pass/fail/number/n.a.", counted, GREY));
                    }
                    h.append(SvgCharts.horizontalBars(id, e.getKey(), bars));
                }
            }
            h.append("</div>");
        }
        if (stats.metricsNotShown > 0) {
            h.append("<p class=\"note\">").append(count(stats.metricsNotShown)).append(" values of metrics beyond the first ")
                    .append(CallStatistics.MAX_METRICS).append(" are not shown; they are in calls.csv.</p>");
        }
        h.append("</section>\n");
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** Columns of the calls table; a call's transcript row spans all but the first. */
    private static final int CALL_COLUMNS = 10;

    private static void callTable(StringBuilder h, RunSummary s, CallStatistics stats, List<ExecutionCallRow> calls, Path pageDirectory) {
        h.append("<section id=\"calls\"><h2>Calls</h2>");
        if (calls.isEmpty()) {
            h.append("<p class=\"empty\">No call was read (every row may have been rejected).</p></section>\n");
            return;
        }
        h.append("<p>");
        if (stats.calls > calls.size()) {
            h.append("The first ").append(count(calls.size())).append(" of ").append(count(stats.calls))
                    .append(" calls, in manifest order; every call is in <a href=\"calls.csv\">calls.csv</a>. ");
        } else {
            h.append("Every call read, in manifest order (also in <a href=\"calls.csv\">calls.csv</a>). ");
        }
        h.append("Open a transcript to read it as its file says it now.</p>");
        h.append("<table class=\"calls\"><thead><tr><th>line</th><th>source id</th><th>state</th><th>Bluejay call id</th>")
                .append("<th>goal</th><th>halluc.</th><th>turns</th><th>p50 s</th><th>p90 s</th><th>custom metrics</th>")
                .append("</tr></thead><tbody>\n");
        long[] inlineBudget = {MAX_INLINE_TRANSCRIPTS};
        for (ExecutionCallRow c : calls) {
            h.append("<tr><td class=\"n\">").append(c.line()).append("</td><td class=\"sid\">").append(esc(c.sourceId())).append("</td><td><span class=\"state state-")
                    .append(esc(c.state().name())).append("\">").append(esc(c.state().name())).append("</span>");
            if (c.disposition() != Disposition.CLAIMED) {
                h.append("<br><small>").append(esc(c.disposition().name().toLowerCase().replace('_', ' '))).append("</small>");
            }
            if (c.inDoubt()) {
                h.append("<br><small>in doubt</small>");
            }
            if (c.lastError() != null && !c.state().isAccepted()) {
                h.append("<br><small class=\"error\">").append(esc(shorten(c.lastError(), 300))).append("</small>");
            }
            h.append("</td><td class=\"id\">").append(esc(c.callId() == null ? "–" : c.callId())).append("</td><td>").append(flag(c.goalSuccess(), false))
                    .append("</td><td>").append(flag(c.hallucination(), true)).append("</td><td class=\"n\">")
                    .append(c.numTurns() == null ? "–" : c.numTurns()).append("</td><td class=\"n\">")
                    .append(c.latencyP50() == null ? "–" : num(c.latencyP50(), 3)).append("</td><td class=\"n\">")
                    .append(c.latencyP90() == null ? "–" : num(c.latencyP90(), 3)).append("</td><td>").append(metrics(c.customMetricsJson()))
                    .append("</td></tr>\n");
            if (c.transcriptRef() != null) {
                // the transcript gets a row of its own under the call's, as wide as the table: read at a line's length,
                // not squeezed into a last column
                h.append("<tr class=\"transcript\"><td></td><td colspan=\"").append(CALL_COLUMNS - 1).append("\">")
                        .append(transcript(c, pageDirectory, inlineBudget)).append("</td></tr>\n");
            }
        }
        h.append("</tbody></table></section>\n");
    }

    private static String flag(@Nullable Boolean value, boolean trueIsBad) {
        if (value == null) {
            return "<span class=\"na\">–</span>";
        }
        boolean bad = value == trueIsBad;
        return "<span class=\"" + (bad ? "bad" : "good") + "\">" + (value ? "yes" : "no") + "</span>";
    }

    private static String metrics(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return "";
        }
        try {
            JsonNode node = JSON.readTree(json);
            if (!node.isObject()) {
                return esc(json);
            }
            StringBuilder out = new StringBuilder("<ul class=\"metrics\">");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = e.getValue();
                out.append("<li>").append(esc(e.getKey())).append(": <b>").append(esc(v == null || v.isNull() ? "–" : v.isValueNode() ? v.asString() : v.toString()))
                        .append("</b></li>");
            }
            return out.append("</ul>").toString();
        } catch (JacksonException e) {
            return esc(json);
        }
    }

    /** @param inlineBudget characters of transcript still to be shown inline on this page (decreased) */
    private static String transcript(ExecutionCallRow c, Path pageDirectory, long[] inlineBudget) {
        String ref = c.transcriptRef();
        if (ref == null) {
            return "<span class=\"na\">–</span>";
        }
        if (ref.regionMatches(true, 0, "http://", 0, 7) || ref.regionMatches(true, 0, "https://", 0, 8)) {
            String href = Html.webHref(ref);
            return "transcript: " + (href == null ? "<span class=\"ref\">" + esc(Html.shownUrl(ref)) + "</span>"
                    : "<a href=\"" + esc(href) + "\" rel=\"noopener noreferrer\">transcript URL</a>");
        }
        Path file;
        try {
            file = Path.of(ref);
        } catch (InvalidPathException e) {
            return "transcript: <span class=\"ref\">" + esc(ref) + "</span>";
        }
        String name = file.getFileName() == null ? ref : file.getFileName().toString();
        if (inlineBudget[0] <= 0) {
            return "transcript: <a href=\"" + esc(Html.fileHref(pageDirectory, file)) + "\">" + esc(name) + "</a> <small class=\"note\">(linked only: "
                    + "the page shows at most " + count(MAX_INLINE_TRANSCRIPTS / 1_000_000) + " MB of transcripts)</small>";
        }
        StringBuilder out = new StringBuilder();
        TranscriptPreview.Preview preview = TranscriptPreview.read(file, c.transcriptFormat());
        out.append("<details><summary>transcript ").append(esc(name)).append("</summary><p class=\"ref\"><a href=\"").append(esc(Html.fileHref(pageDirectory, file)))
                .append("\">open the file</a>").append(preview.format() == null ? "" : " (" + esc(preview.format()) + ")").append("</p>");
        if (preview.problem() != null) {
            out.append("<p class=\"error\">").append(esc(preview.problem())).append("</p>");
        } else {
            out.append("<ol class=\"transcript\">");
            for (TranscriptPreview.Line line : preview.lines()) {
                out.append("<li><span class=\"t\">").append(TranscriptPreview.time(line.startMs())).append("</span> <b class=\"speaker-")
                        .append(esc(line.speaker().equals("AGENT") || line.speaker().equals("USER") ? line.speaker() : "other")).append("\">")
                        .append(esc(line.speaker())).append("</b> ").append(esc(line.text())).append("</li>");
            }
            out.append("</ol>");
            if (preview.more() > 0) {
                out.append("<p class=\"note\">").append(count(preview.more())).append(" more utterances in the file.</p>");
            }
        }
        out.append("</details>");
        inlineBudget[0] -= out.length();
        return out.toString();
    }

    private static void rejectTable(StringBuilder h, List<RejectionRow> rejects, long total) {
        h.append("<section id=\"rejects\"><h2>Rejected rows</h2>");
        if (total == 0) {
            h.append("<p class=\"empty\">None: no row was rejected.</p></section>\n");
            return;
        }
        h.append("<p>").append(total > rejects.size() ? "The first " + count(rejects.size()) + " of " + count(total) + " rejected rows; all are"
                : count(total) + " rows were rejected, never sent (or refused by Bluejay); also").append(" in <a href=\"rejects.csv\">rejects.csv</a>. ")
                .append("Fix each and run the job again: only changed rows are sent.</p>");
        h.append("<table class=\"rejects\"><thead><tr><th>where</th><th>source id</th><th>fields</th><th>reason</th><th>by</th></tr></thead><tbody>\n");
        for (RejectionRow r : rejects) {
            h.append("<tr><td class=\"id\">").append(esc(r.sourceRef())).append("</td><td>").append(esc(r.sourceId() == null ? "–" : r.sourceId()))
                    .append("</td><td class=\"id\">").append(esc(r.fields())).append("</td><td>").append(esc(r.reason())).append("</td><td>")
                    .append(esc(r.origin().equals("API") ? "Bluejay" : r.origin().equals("LOCAL") ? "calleval" : r.origin())).append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");
    }

    private static final String CSS = """
            :root{color-scheme:light}
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2933;background:#fff;margin:0 auto;max-width:1200px;padding:24px 32px}
            h1{font-size:26px;margin:0 0 12px}h2{font-size:20px;margin:0 0 8px;border-bottom:1px solid #e4e7eb;padding-bottom:4px}h3{font-size:15px;margin:14px 0 6px}
            section{margin:28px 0}p{margin:6px 0 10px}code{font-family:"DejaVu Sans Mono",monospace;font-size:13px;background:#f3f5f7;padding:1px 4px;border-radius:3px}
            table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:4px 10px 4px 0}
            table.facts th{color:#52606d;font-weight:600;padding-right:18px}
            table.figures th,table.figures td{border-bottom:1px solid #e4e7eb;padding:4px 14px 4px 0}
            table.calls,table.rejects{width:100%;font-size:13px}
            table.calls thead th,table.rejects thead th{position:sticky;top:0;background:#f3f5f7;border-bottom:2px solid #cbd2d9;padding:6px 8px}
            table.calls td,table.rejects td{border-bottom:1px solid #e4e7eb;padding:5px 8px}table.calls thead th{white-space:nowrap}
            td.sid{min-width:10em;overflow-wrap:anywhere}
            td.n{text-align:right;font-variant-numeric:tabular-nums}td.id{font-family:"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
            .status,.state{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e4e7eb;color:#1f2933;vertical-align:middle}
            .status-COMPLETED,.state-EVALUATED{background:#d7f0da;color:#1b5e20}.status-FAILED,.state-FAILED,.state-REJECTED{background:#fbd5d5;color:#8a1c1c}
            .state-INCOMPLETE,.state-OVERDUE,.status-STOPPED{background:#fdecc8;color:#7a4b00}.state-SUBMITTED,.status-STARTED{background:#d6e6fa;color:#123e73}
            .state-PENDING{background:#eadcf3;color:#4a1f66}
            .good{color:#1b5e20;font-weight:600}.bad{color:#b71c1c;font-weight:600}.na{color:#9aa5b1}.error{color:#8a1c1c}
            .empty,.note{color:#52606d}.chart{display:block;max-width:100%;height:auto;margin:6px 0}
            ul.metrics{margin:0;padding-left:16px}details summary{cursor:pointer;color:#1e63b4}
            table.calls tr:has(+ tr.transcript) td{border-bottom:none;padding-bottom:1px}table.calls tr.transcript td{padding-top:0}
            ol.transcript{margin:6px 0;padding-left:0;list-style:none;max-width:60em}ol.transcript li{margin:2px 0}
            .t{color:#7b8794;font-family:"DejaVu Sans Mono",monospace;font-size:11px}.speaker-AGENT{color:#1e63b4}.speaker-USER{color:#7a4b00}
            .ref{font-size:12px;word-break:break-all}footer{color:#7b8794;font-size:12px;border-top:1px solid #e4e7eb;padding-top:8px;margin-top:32px}
            @media print{table.calls thead th{position:static}}
            """;
}
