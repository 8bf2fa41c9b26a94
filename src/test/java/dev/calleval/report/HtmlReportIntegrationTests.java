package dev.calleval.report;

import dev.calleval.ledger.CallResults;
import dev.calleval.ledger.Ledger;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code report.html} written from the real ledger (H2, Flyway migrations) for a judged execution: its figures, its
 * escaping of every text that comes from input or Bluejay, its links, and its size cap. The same page in a real
 * browser: {@link ReportBrowserTests}.
 */
@SpringBootTest(properties = {"calleval.cli.enabled=false", "CALLEVAL_DB_URL=jdbc:h2:mem:html-report-tests;DB_CLOSE_DELAY=-1"})
class HtmlReportIntegrationTests {
    @Autowired
    Ledger ledger;

    @Autowired
    CallResults results;

    @Autowired
    ReportWriter writer;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path work;

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM execution_call");
        jdbc.update("DELETE FROM rejection");
        jdbc.update("DELETE FROM call_ledger");
    }

    private String html(long execution, ReportFixtures.Expected expected, Path pageDirectory) {
        StringWriter out = new StringWriter();
        writer.writeHtml(out, ReportFixtures.summary(writer, execution, expected, pageDirectory), pageDirectory);
        return out.toString();
    }

    @Test
    void judgedExecutionShowsOutcomesRatesLatencyAndCustomMetrics() throws Exception {
        ReportFixtures.Expected e = ReportFixtures.judgedExecution(ledger, results, 11, 60, work.resolve("transcripts"));
        String html = html(11, e, work.resolve("reports/nightly/11"));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy").contains("default-src 'none'");
        assertThat(html).contains("data-label=\"evaluated\" data-value=\"" + e.evaluated() + "\"")
                .contains("data-label=\"incomplete\" data-value=\"" + e.incomplete() + "\"")
                .contains("data-label=\"waiting for result\" data-value=\"" + e.waiting() + "\"")
                .contains("data-label=\"failed (will retry)\" data-value=\"" + e.failed() + "\"")
                .contains("data-label=\"rejected\" data-value=\"" + (e.apiRejected() + e.localRejected()) + "\"");
        long judgedGoal = e.goalYes() + e.goalNo();
        assertThat(html).contains("<h3>Goal success: " + Html.percent(e.goalYes(), judgedGoal) + " of " + judgedGoal + " judged calls</h3>")
                .contains("data-label=\"goal reached\" data-value=\"" + e.goalYes() + "\"")
                .contains("<h3>Hallucination: " + Html.percent(e.hallucinated(), e.hallucinated() + e.notHallucinated()) + " of ");
        assertThat(html).as("running elsewhere in its own colour, the last latency bin with its unit")
                .contains("fill=\"#00838f\" data-label=\"running elsewhere (not sent)\"")
                .containsPattern("<text class=\"open-bin\"[^>]*>≥ [0-9.]+ s</text>");
        assertThat(html).contains("id=\"chart-latency\"").contains("<th>p50 latency (s)</th><td>" + (e.evaluated() + e.incomplete()) + "</td>");
        assertThat(html).contains("<h3>Order status resolved</h3><p>pass rate " + Html.percent(e.metricPass(), e.metricPass() + e.metricFail()))
                .contains("data-label=\"fail\" data-value=\"" + e.metricFail() + "\"")
                .contains("<h3>Empathy score</h3><p class=\"score\">score: mean <strong>" + Html.num(e.scoreMean(), 2) + "</strong>, min 5, max 9")
                .contains("<h3>Resolution</h3>").contains("data-label=\"refund\"");
        assertThat(html).contains("counts add up</th><td>yes").contains((e.calls() + 12) + " (429: 4, retries: 12, in doubt: 0)").contains("41m 13s");
        assertThat(Pattern.compile("<svg ").matcher(html).results().count()).as("outcomes, 2 rates, latency, the pass/fail and the text metric").isEqualTo(6);
    }

    @Test
    void everyTextFromInputOrBluejayIsEscaped() throws Exception {
        ReportFixtures.Expected e = ReportFixtures.judgedExecution(ledger, results, 12, 20, work.resolve("transcripts"));
        String html = html(12, e, work.resolve("reports/nightly/12"));

        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img").doesNotContain("<b>hostile")
                .doesNotContain("<i>sent").doesNotContain("<b>bold").doesNotContain("<retry later>");
        assertThat(html).contains("&lt;/details&gt;&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;")
                .contains("call-&lt;img src=x onerror=alert(1)&gt;")
                .contains("must be &gt;= 0, got -120 &lt;img src=x onerror=alert(2)&gt;")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("replacement &lt;i&gt;sent&lt;/i&gt;")
                .contains("call &lt;b&gt;hostile #1?.json");
        assertThat(html).as("a presigned URL's query is a credential").doesNotContain("X-Amz").doesNotContain("AKIAEXAMPLE")
                .contains("bucket.s3.amazonaws.com/t/3.json (query not shown)");
        assertThat(html).as("a transcript file gone since the run is said so").contains("file not found: call-deleted-since.json");
    }

    @Test
    void transcriptsAreLinkedRelativelyAndShownInline() throws Exception {
        ReportFixtures.Expected e = ReportFixtures.judgedExecution(ledger, results, 13, 20, work.resolve("transcripts"));
        Path page = work.resolve("reports/nightly/13");
        String html = html(13, e, page);

        Matcher link = Pattern.compile("<a href=\"([^\"]+)\">open the file</a>").matcher(html);
        int links = 0;
        while (link.find()) {
            String href = link.group(1).replace("&amp;", "&");
            assertThat(href).doesNotStartWith("/").doesNotStartWith("file:");
            Path target = Path.of(URI.create("file://" + page.toAbsolutePath() + "/").resolve(href));
            if (!href.contains("deleted")) {
                assertThat(target).as(href).exists();
            }
            links++;
        }
        assertThat(links).isEqualTo(e.calls() - 1);
        assertThat(html).as("each transcript in a row of its own, as wide as the table")
                .contains("<tr class=\"transcript\"><td></td><td colspan=\"9\"><details><summary>transcript ")
                .doesNotContain("<th>transcript</th>");
        assertThat(html).contains("href=\"../../../transcripts/call%20%3Cb%3Ehostile%20%231%3F.json\"")
                .contains("<span class=\"t\">0:06.1</span> <b class=\"speaker-AGENT\">AGENT</b> It is out for delivery &amp; arrives by 6 PM.");
    }

    @Test
    void aLargeRunListsTheFirstThousandCallsAndPointsToTheCsv() throws Exception {
        ReportFixtures.Expected e = ReportFixtures.judgedExecution(ledger, results, 14, 1_050, work.resolve("transcripts"));
        StringBuilder longCall = new StringBuilder("[");
        for (int i = 0; i < 600; i++) {
            longCall.append(i == 0 ? "" : ",").append("{\"start_offset_ms\":%d,\"end_offset_ms\":%d,\"speaker\":\"%s\",\"utterance\":\"%s\"}"
                    .formatted(i * 3000, i * 3000 + 2500, i % 2 == 0 ? "AGENT" : "USER", "words ".repeat(15).strip()));
        }
        Files.writeString(work.resolve("transcripts/call-plain.json"), longCall.append("]"));
        String html = html(14, e, work.resolve("reports/nightly/14"));

        String table = html.substring(html.indexOf("<table class=\"calls\">"), html.indexOf("</table>", html.indexOf("<table class=\"calls\">")));
        assertThat(Pattern.compile("<tr><td class=\"n\">").matcher(table).results().count()).isEqualTo(HtmlReport.MAX_CALL_ROWS);
        assertThat(html).contains("The first 1,000 of 1,050 calls").contains("<a href=\"calls.csv\">calls.csv</a>");
        assertThat(html).contains("data-label=\"evaluated\" data-value=\"" + e.evaluated() + "\"");
        assertThat(html).contains("200 more utterances in the file.")
                .contains("(linked only: the page shows at most 2 MB of transcripts)");
        assertThat((long) html.length()).as("bounded, whatever the run's size").isLessThan(HtmlReport.MAX_INLINE_TRANSCRIPTS + 1_000_000);
    }

    @Test
    void anExecutionWithoutResultsSaysWhenFiguresWillAppear() throws Exception {
        ReportFixtures.Expected e = new ReportFixtures.Expected(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        String html = html(15, e, work);

        assertThat(html).contains("No call of this execution has a result yet").contains("calleval report 15 --format html")
                .contains("No call was read").contains("None: no row was rejected").doesNotContain("id=\"chart-latency\"");
        assertThat(Files.exists(work)).isTrue();
    }
}
