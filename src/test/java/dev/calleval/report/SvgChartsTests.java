package dev.calleval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The charts' labels and colours, as the SVG text says them. */
class SvgChartsTests {
    private static final RunSummary.Counts COUNTS = new RunSummary.Counts(40, 1, 2, 3, 4, 5, 6, 7, 8, 0);

    private static List<SvgCharts.Bar> outcomeBars() {
        List<SvgCharts.Bar> bars = new ArrayList<>();
        List<Object[]> rows = COUNTS.rows();
        for (int i = 0; i < rows.size(); i++) {
            bars.add(new SvgCharts.Bar((String) rows.get(i)[0], ((Number) rows.get(i)[1]).longValue(), HtmlReport.OUTCOME_COLORS.get(i)));
        }
        return bars;
    }

    @Test
    void everyOutcomeHasItsOwnColourAndRunningElsewhereIsNotTheGreenOfEvaluated() {
        assertThat(HtmlReport.OUTCOME_COLORS).hasSize(COUNTS.rows().size()).doesNotHaveDuplicates();

        String svg = SvgCharts.horizontalBars("chart-outcomes", "Outcome counts", outcomeBars());

        assertThat(fill(svg, "evaluated")).isEqualTo("#2e7d32");
        assertThat(fill(svg, "running elsewhere (not sent)")).isEqualTo("#00838f");
        assertThat(new HashSet<>(List.of(fill(svg, "evaluated"), fill(svg, "already done (not sent)"), fill(svg, "running elsewhere (not sent)"))))
                .hasSize(3);
    }

    @Test
    void theLongestOutcomeLabelFitsInItsColumnUncut() {
        String svg = SvgCharts.horizontalBars("chart-outcomes", "Outcome counts", outcomeBars());

        Matcher label = Pattern.compile("<text x=\"(\\d+)\"[^>]*text-anchor=\"end\"[^>]*>running elsewhere \\(not sent\\)</text>").matcher(svg);
        assertThat(label.find()).as("the whole label is written").isTrue();
        int rightEdge = Integer.parseInt(label.group(1));
        // 28 characters of a 13 px sans-serif face: DejaVu Sans, the widest asked for, advances at most ~7.5 px each
        assertThat(rightEdge - 28 * 7.5).as("the label starts inside the chart").isGreaterThanOrEqualTo(0);
    }

    @Test
    void aLabelTooLongForAThirdOfTheChartIsCutWithAnEllipsisAndKeptWholeInTheData() {
        String name = "a custom metric category with a very long name indeed";
        String svg = SvgCharts.horizontalBars("m", "m", List.of(new SvgCharts.Bar(name, 3, "#1e63b4")));

        assertThat(SvgCharts.labelWidth(List.of(new SvgCharts.Bar(name, 3, "#1e63b4")))).isEqualTo(SvgCharts.WIDTH / 3);
        assertThat(svg).contains("data-label=\"" + name + "\"").containsPattern(">a custom metric category[^<]*…</text>");
    }

    @Test
    void theLastLatencyBinReadsAtLeastItsLowerBoundWithTheUnit() {
        String svg = SvgCharts.histogram("chart-latency", "latency", 0.5, "seconds", "s", List.of(new long[] {1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 4}),
                List.of("#1e63b4"), List.of("p50"));

        assertThat(svg).contains("<text class=\"open-bin\"").contains(">≥ 5 s</text>").doesNotContain(">≥ 5</text>");
        assertThat(svg).contains("data-label=\"p50 ≥ 5 seconds\" data-value=\"4\"").contains("data-label=\"p50 0–0.5 seconds\" data-value=\"1\"");
        assertThat(SvgCharts.openBinLabel(10, 0.5, "s")).isEqualTo("≥ 5 s");
    }

    private static String fill(String svg, String label) {
        Matcher m = Pattern.compile("fill=\"(#[0-9a-f]{6})\" data-label=\"" + Pattern.quote(label) + "\"").matcher(svg);
        assertThat(m.find()).as("bar " + label).isTrue();
        return m.group(1);
    }

    @Test
    void aTrendLineMarksTheRegressedPointAndBreaksWhereANightHasNoValue() {
        String svg = SvgCharts.line("trend-goal-success", "Goal success rate", List.of(new SvgCharts.Point("#1", 1.0, false),
                new SvgCharts.Point("#2", null, false), new SvgCharts.Point("#3 <b>", 0.9, false), new SvgCharts.Point("#4", 0.6, true)), 1,
                v -> Html.num(v * 100, 1) + " %");

        assertThat(svg).contains("data-label=\"#1\" data-value=\"100 %\"", "data-label=\"#3 &lt;b&gt;\" data-value=\"90 %\"")
                .containsPattern("fill=\"#c62828\" data-label=\"#4\" data-value=\"60 %\" data-regressed=\"true\"")
                .doesNotContain("data-label=\"#2\"");
        assertThat(svg.split("data-regressed", -1)).as("one marked point").hasSize(2);
        assertThat(svg).as("the line breaks at the night without a value: two sub-paths").containsPattern("<path d=\"M[^\"]* M[^\"]*\"");
    }
}
