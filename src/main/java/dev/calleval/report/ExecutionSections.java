package dev.calleval.report;

import dev.calleval.bluejay.BluejayEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static dev.calleval.report.Html.count;
import static dev.calleval.report.Html.esc;
import static dev.calleval.report.Html.num;
import static dev.calleval.report.ReportStyle.GREEN;
import static dev.calleval.report.ReportStyle.GREY;
import static dev.calleval.report.ReportStyle.RED;

/** The sections of {@code report.html} about the execution as a whole: its header of facts and the outcome counts. */
final class ExecutionSections {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /**
     * One colour per row of {@link RunSummary.Counts#rows()}, in that order: evaluated, incomplete, waiting for result,
     * overdue, failed, in doubt, rejected, already done, running elsewhere (teal: not sent by this run, like already
     * done, but still on its way, so not the grey of a finished call), not sampled (a lighter grey: left out on
     * purpose), deferred (slate blue: waiting for the next run).
     */
    static final List<String> OUTCOME_COLORS = List.of(GREEN, "#f0a202", "#1e88e5", "#ef6c00", RED, "#7b3fa0", "#8d4b3c", GREY, "#00838f",
            "#b0b7bf", "#5c6bc0");

    private ExecutionSections() {}

    static void header(StringBuilder h, RunSummary s, String title) {
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

    static void outcomes(StringBuilder h, RunSummary s) {
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
}
