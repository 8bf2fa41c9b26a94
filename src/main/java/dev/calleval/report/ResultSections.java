package dev.calleval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.calleval.report.Html.count;
import static dev.calleval.report.Html.esc;
import static dev.calleval.report.Html.num;
import static dev.calleval.report.Html.percent;
import static dev.calleval.report.ReportStyle.BLUE;
import static dev.calleval.report.ReportStyle.GREEN;
import static dev.calleval.report.ReportStyle.GREY;
import static dev.calleval.report.ReportStyle.LIGHT_BLUE;
import static dev.calleval.report.ReportStyle.RED;

/**
 * The sections of {@code report.html} about Bluejay's results over all calls ({@link CallStatistics}): goal success
 * and hallucination rates, the spread of agent response latency, and each custom metric's results.
 */
final class ResultSections {

    private ResultSections() {}

    static void judgements(StringBuilder h, RunSummary s, CallStatistics stats) {
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

    static void latency(StringBuilder h, CallStatistics stats) {
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

    static void customMetrics(StringBuilder h, CallStatistics stats) {
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

    static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
