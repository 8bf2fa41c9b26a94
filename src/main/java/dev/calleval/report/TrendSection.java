package dev.calleval.report;

import dev.calleval.quality.Change;
import dev.calleval.quality.Nights;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.calleval.report.Html.count;
import static dev.calleval.report.Html.esc;
import static dev.calleval.report.Html.num;

/**
 * The trend section of {@code report.html}: the job's last executions ({@link Nights#trend}) as three line charts —
 * goal success rate, hallucination rate, the p90 latency (the 90th percentile of the calls' p90 latencies) — and a
 * table, with the figures that regressed in this execution against the ones before it marked (the rule of
 * {@code dev.calleval.quality.Comparison}, the one {@code compare} applies).
 */
final class TrendSection {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    private TrendSection() {}

    static void trend(StringBuilder h, String job, Nights.Trend trend) {
        h.append("<section id=\"trend\"><h2>Trend: the last ").append(trend.nights().size()).append(trend.nights().size() == 1 ? " execution" : " executions")
                .append(" of ").append(esc(job)).append("</h2>");
        if (trend.nights().size() < 2) {
            h.append("<p class=\"empty\">This is the job's first completed execution: its trend appears from the next one.</p></section>\n");
            return;
        }
        List<Change> regressions = trend.regressions();
        Set<String> regressed = regressions.stream().map(Change::metric).collect(Collectors.toSet());
        h.append("<p>Each completed execution of the job (the newest, this one, on the right); this execution is compared with ")
                .append(trend.baseline().size() == 1 ? "execution " : "executions ")
                .append(esc(trend.baseline().stream().sorted().map(String::valueOf).collect(Collectors.joining(", "))))
                .append(" pooled, as <code>calleval compare --job ").append(esc(job)).append("</code> does.</p>");
        if (regressions.isEmpty()) {
            h.append("<p class=\"good\" id=\"trend-verdict\">No regression.</p>");
        } else {
            h.append("<p class=\"bad\" id=\"trend-verdict\">Regressed: ");
            h.append(regressions.stream().map(TrendSection::described).map(Html::esc).collect(Collectors.joining("; "))).append("</p>");
        }
        List<Change> notSignificant = trend.changes().stream().filter(c -> c.exceeded() && !c.regression()).toList();
        if (!notSignificant.isEmpty()) {
            h.append("<p class=\"note\" id=\"trend-not-significant\">Beyond a threshold but not significant for these sample sizes (not a ")
                    .append("regression): ").append(notSignificant.stream().map(TrendSection::described).map(Html::esc).collect(Collectors.joining("; ")))
                    .append("</p>");
        }
        int last = trend.nights().size() - 1;
        List<SvgCharts.Point> goal = new ArrayList<>();
        List<SvgCharts.Point> hallucination = new ArrayList<>();
        List<SvgCharts.Point> latency = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            Nights.Night n = trend.nights().get(i);
            String label = "#" + n.executionId() + (n.startTime() == null ? "" : " " + DAY.format(n.startTime()));
            goal.add(new SvgCharts.Point(label, n.goalSuccess(), i == last && regressed.contains("goal_success")));
            hallucination.add(new SvgCharts.Point(label, n.hallucination(), i == last && regressed.contains("hallucination")));
            latency.add(new SvgCharts.Point(label, n.latencyP90(), i == last && regressed.contains("latency_p90")));
        }
        chart(h, "trend-goal-success", "Goal success rate", regressed.contains("goal_success"), goal, 1, TrendSection::percent);
        chart(h, "trend-hallucination", "Hallucination rate", regressed.contains("hallucination"), hallucination, 0.1, TrendSection::percent);
        chart(h, "trend-latency-p90", "Latency p90 (90th percentile of the calls' p90, seconds)", regressed.contains("latency_p90"), latency, 0.5,
                v -> num(v, 2) + " s");
        h.append("<table class=\"figures\" id=\"trend-table\"><thead><tr><th>execution</th><th>started</th><th>calls evaluated</th>")
                .append("<th>goal success</th><th>hallucination</th><th>latency p90</th></tr></thead><tbody>");
        for (int i = last; i >= 0; i--) {
            Nights.Night n = trend.nights().get(i);
            h.append("<tr><td>").append(n.executionId()).append(i == last ? " (this)" : "").append("</td><td>")
                    .append(n.startTime() == null ? "–" : esc(ExecutionSections.TIME.format(n.startTime()))).append("</td><td class=\"n\">")
                    .append(count(n.calls())).append("</td>");
            cell(h, n.goalSuccess() == null ? "–" : percent(n.goalSuccess()), i == last && regressed.contains("goal_success"));
            cell(h, n.hallucination() == null ? "–" : percent(n.hallucination()), i == last && regressed.contains("hallucination"));
            cell(h, n.latencyP90() == null ? "–" : num(n.latencyP90(), 3) + " s", i == last && regressed.contains("latency_p90"));
            h.append("</tr>");
        }
        h.append("</tbody></table>");
        h.append("<p class=\"note\">Thresholds: ").append(esc(trend.comparison().thresholds().thresholds().stream()
                .map(t -> t.direction().option() + " " + t.shown()).collect(Collectors.joining(", ")))).append(". A figure regressed when it moved beyond its threshold ")
                .append("and, for rates, the move is significant (two-proportion z-test); see docs/compare-and-alerts.md.</p>");
        h.append("</section>\n");
    }

    private static void chart(StringBuilder h, String id, String title, boolean regressed, List<SvgCharts.Point> points, double minTop,
            java.util.function.DoubleFunction<String> format) {
        h.append("<h3").append(regressed ? " class=\"bad\"" : "").append('>').append(esc(title)).append(regressed ? " — regressed" : "").append("</h3>");
        h.append(SvgCharts.line(id, title, points, minTop, format));
    }

    private static void cell(StringBuilder h, String text, boolean regressed) {
        h.append("<td class=\"n").append(regressed ? " bad" : "").append("\">").append(esc(text)).append(regressed ? " ▼" : "").append("</td>");
    }

    private static String percent(double fraction) {
        return num(fraction * 100, 1) + " %";
    }

    /** {@code goal_success 100 % → 60 % (−40 pp, p = 0.006; max-drop goal_success=5pp)} */
    private static String described(Change c) {
        boolean rate = c.kind().equals("rate");
        String before = c.baseline() == null ? "–" : rate ? percent(c.baseline()) : num(c.baseline(), 3);
        String after = c.candidate() == null ? "–" : rate ? percent(c.candidate()) : num(c.candidate(), 3);
        String diff = c.difference() == null ? "" : rate ? String.format(Locale.ROOT, "%+.1f pp", c.difference() * 100)
                : String.format(Locale.ROOT, "%+.3f", c.difference());
        return c.metric() + " " + before + " → " + after + " (" + diff + (c.pValue() == null ? "" : String.format(Locale.ROOT, ", p = %.3f", c.pValue()))
                + "; " + c.threshold().direction().option() + " " + c.threshold().shown() + ")";
    }
}
