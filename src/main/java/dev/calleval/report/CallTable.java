package dev.calleval.report;

import dev.calleval.ledger.Disposition;
import dev.calleval.report.ExecutionRecords.ExecutionCallRow;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.calleval.report.Html.count;
import static dev.calleval.report.Html.esc;
import static dev.calleval.report.Html.num;
import static dev.calleval.report.ResultSections.shorten;

/**
 * The calls table of {@code report.html}: one row per call in input order, each transcript in a row of its own under
 * the call's (linked, and inline up to {@link HtmlReport#MAX_INLINE_TRANSCRIPTS} characters per page).
 */
final class CallTable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long MAX_INLINE_TRANSCRIPTS = HtmlReport.MAX_INLINE_TRANSCRIPTS;

    private CallTable() {}

    /** Columns of the calls table; a call's transcript row spans all but the first. */
    private static final int CALL_COLUMNS = 10;

    static void callTable(StringBuilder h, RunSummary s, CallStatistics stats, List<ExecutionCallRow> calls, Path pageDirectory) {
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
        if (c.redacted()) { // the file holds what was redacted before sending: never shown in the report
            return "transcript: <a href=\"" + esc(Html.fileHref(pageDirectory, file)) + "\">" + esc(name) + "</a> <small class=\"note\">(redacted "
                    + "before sending" + (c.redactions() == null || c.redactions().isEmpty() ? "" : ": " + esc(c.redactions()))
                    + "; the file is not shown here)</small>";
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
}
