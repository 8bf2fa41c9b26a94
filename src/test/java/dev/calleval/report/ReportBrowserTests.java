package dev.calleval.report;

import dev.calleval.CommandLine;
import dev.calleval.ledger.CallResults;
import dev.calleval.ledger.Ledger;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code report.html} opened in a real browser, Debian's headless chromium: the sample run's report (through the
 * command line, on the sandbox) and a judged execution's. Each test checks the DOM chromium built after loading the
 * page (the SVG charts and their data are there, no script element exists or ran) and takes a screenshot, kept as
 * test output in {@code target/report-screenshots/}, whose pixels must show the charts' colours.
 *
 * <p>Skipped, saying so, when chromium is not installed ({@code scripts/chromium.sh} installs it; CI does).
 */
@SpringBootTest(properties = {"calleval.cli.enabled=false", "CALLEVAL_DB_URL=jdbc:h2:mem:report-browser-tests;DB_CLOSE_DELAY=-1"})
class ReportBrowserTests {
    static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    private static final Path SAMPLE_DATA = Path.of("sample-data").toAbsolutePath();
    private static final int GREEN = 0x2e7d32;
    private static final int RED = 0xc62828;
    private static final int LATENCY_BLUE = 0x1e63b4;

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

    private Chromium chromium;

    @BeforeEach
    void browser() {
        Optional<Chromium> found = Chromium.find(work.resolve("chromium"));
        Assumptions.assumeTrue(found.isPresent(), "chromium is not installed (/usr/bin/chromium or -Dcalleval.chromium=PATH): "
                + "run scripts/chromium.sh to install it; .ci/run does");
        chromium = found.get();
    }

    @Test
    void sampleRunReportOpensInChromiumWithItsChartsDrawn() throws Exception {
        Path job = work.resolve("sample.yaml");
        Files.writeString(job, """
                name: sample
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                  chunk-size: 4
                report:
                  directory: %s
                """.formatted(SAMPLE_DATA.resolve("manifests/calls.csv"), work.resolve("reports")));
        String database = "jdbc:h2:mem:browser-sample-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        assertThat(CommandLine.run(database, Map.of(), "run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        Path page = work.resolve("reports/sample/1/report.html");

        Path png = SCREENSHOTS.resolve("report.png");
        String dom = chromium.open(page, png, 1280, 2000);

        assertThat(dom).contains("<title>calleval report: sample — execution 1</title>").doesNotContainIgnoringCase("<script");
        assertThat(svg(dom, "chart-outcomes")).contains("data-label=\"evaluated\" data-value=\"15\"")
                .contains("data-label=\"rejected\" data-value=\"0\"");
        assertThat(svg(dom, "chart-goal-success")).as("scripted by the manifest's sandbox controls")
                .contains("data-label=\"goal reached\" data-value=\"15\"");
        String latency = svg(dom, "chart-latency");
        assertThat(sum(latency, "p50 of the call")).as("every call's p50 is in one bin").isEqualTo(15);
        assertThat(sum(latency, "p90 of the call")).isEqualTo(15);
        assertThat(Pattern.compile("<details>").matcher(dom).results().count()).as("one transcript per call").isEqualTo(15);
        assertThat(dom).contains("<b class=\"speaker-AGENT\">AGENT</b>");

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(pixels(image, GREEN)).as("the evaluated bar is drawn").isGreaterThan(3_000);
        assertThat(pixels(image, LATENCY_BLUE)).as("the latency histogram is drawn").isGreaterThan(3_000);
    }

    @Test
    void secondNightShowsTheTrendWithTheDropOfGoalSuccessMarked() throws Exception {
        Path job = work.resolve("sample.yaml");
        Files.writeString(job, """
                name: sample
                source:
                  location: %s
                defaults:
                  agent-id: "1234"
                submit:
                  rate-limit: 50
                report:
                  directory: %s
                """.formatted(SAMPLE_DATA.resolve("manifests/calls.csv"), work.resolve("reports")));
        String database = "jdbc:h2:mem:browser-trend-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        assertThat(CommandLine.run(database, Map.of(), "run", job.toString(), "--sandbox", "--wait-for-results", "1m").exitCode()).isZero();
        assertThat(CommandLine.run(database, Map.of(), "run", job.toString(), "--sandbox", "--wait-for-results", "1m",
                "--param", "source=" + SAMPLE_DATA.resolve("manifests/calls-night2.csv")).exitCode()).isZero();

        Path png = SCREENSHOTS.resolve("report-trend.png");
        String dom = chromium.open(work.resolve("reports/sample/2/report.html"), png, 1280, 1900);

        assertThat(dom).contains("<h2>Trend: the last 2 executions of sample</h2>").doesNotContainIgnoringCase("<script");
        assertThat(dom).contains("Regressed: goal_success 100 % → 60 % (-40.0 pp, p = 0.006; max-drop goal_success=5pp)");
        assertThat(svg(dom, "trend-goal-success")).contains("data-label=\"#1 ").contains("data-value=\"100 %\"")
                .containsPattern("data-value=\"60 %\" data-regressed=\"true\"");
        assertThat(svg(dom, "trend-hallucination")).as("beyond 3 pp, not significant: not marked").doesNotContain("data-regressed")
                .contains("data-value=\"13.3 %\"");
        assertThat(svg(dom, "trend-latency-p90")).doesNotContain("data-regressed");
        String first = Files.readString(work.resolve("reports/sample/1/report.html"));
        assertThat(first).contains("This is the job's first completed execution");

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(pixels(image, RED)).as("the regressed point, the goal not reached").isGreaterThan(1_000);
        assertThat(pixels(image, LATENCY_BLUE)).as("the trend lines").isGreaterThan(500);
    }

    @Test
    void judgedReportOpensInChromiumAndNoInjectedScriptRuns() throws Exception {
        jdbc.update("DELETE FROM execution_call");
        jdbc.update("DELETE FROM rejection");
        jdbc.update("DELETE FROM call_ledger");
        ReportFixtures.Expected e = ReportFixtures.judgedExecution(ledger, results, 21, 60, work.resolve("transcripts"));
        RunSummary summary = writer.write(work.resolve("reports"), new ReportWriter.ExecutionInfo(ReportFixtures.JOB, 21, "COMPLETED", null,
                Instant.parse("2026-11-20T02:00:00Z"), Instant.parse("2026-11-20T02:41:13Z"), "../manifests/nightly.csv", "https://api.getbluejay.ai", e.rowsRead(),
                new RunSummary.Requests(e.calls() + 12, 4, 12, 0)));
        Path page = Path.of(summary.reportDirectory()).resolve("report.html");

        Path png = SCREENSHOTS.resolve("report-judged.png");
        String dom = chromium.open(page, png, 1280, 2000);

        assertThat(dom).contains("<title>calleval report: nightly — execution 21</title>").doesNotContain("pwned</title>")
                .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<img");
        assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
        assertThat(svg(dom, "chart-goal-success")).contains("data-label=\"goal reached\" data-value=\"" + e.goalYes() + "\"")
                .contains("data-label=\"goal not reached\" data-value=\"" + e.goalNo() + "\"");
        assertThat(svg(dom, "chart-hallucination")).contains("data-label=\"hallucinated\" data-value=\"" + e.hallucinated() + "\"");
        assertThat(sum(svg(dom, "chart-latency"), "p90 of the call")).isEqualTo(e.evaluated() + e.incomplete());
        assertThat(svg(dom, "chart-metric-1")).contains("data-label=\"pass\" data-value=\"" + e.metricPass() + "\"");

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(pixels(image, GREEN)).as("goal reached, pass").isGreaterThan(3_000);
        assertThat(pixels(image, RED)).as("goal not reached, hallucinated, fail").isGreaterThan(1_000);
        assertThat(pixels(image, LATENCY_BLUE)).isGreaterThan(3_000);
    }

    /** The serialised {@code <svg>} element with this id, as chromium's DOM holds it (in the SVG namespace, so closed). */
    private static String svg(String dom, String id) {
        int at = dom.indexOf("id=\"" + id + "\"");
        assertThat(at).as("chart " + id + " in the DOM").isPositive();
        int start = dom.lastIndexOf("<svg", at);
        int end = dom.indexOf("</svg>", at);
        assertThat(start).isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(at);
        return dom.substring(start, end);
    }

    /** The sum of the {@code data-value} of the series' bars. */
    private static long sum(String svg, String series) {
        return Pattern.compile("data-label=\"" + Pattern.quote(series) + " [^\"]*\" data-value=\"(\\d+)\"").matcher(svg).results()
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    /** How many pixels have exactly this colour. */
    private static long pixels(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
