package dev.calleval.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Recall and false positives of the built-in detectors on the labelled corpus {@code redaction/corpus.tsv}: every type in
 * several national formats and issuers, and near-misses (order numbers, dates, times, amounts, reference numbers,
 * numbers failing the Luhn check, version strings). Prints the figures per type (docs/redaction.md quotes them).
 */
class RedactionCorpusTests {
    private static final Pattern PLANTED = Pattern.compile("\\[\\[([a-z-]+):(.+?)]]");
    private static final Redactor REDACTOR = new Redactor(RedactionPolicy.of(
            List.of("email", "phone", "payment-card", "ssn", "iban", "ip-address"), Map.of(), RedactionPolicy.Style.LABEL, false,
            RedactionPolicy.DEFAULT_PHONE_REGIONS));

    record Utterance(int line, String category, String text, List<String[]> planted) {}

    static List<Utterance> corpus() throws IOException {
        List<Utterance> corpus = new ArrayList<>();
        try (InputStream in = RedactionCorpusTests.class.getResourceAsStream("/redaction/corpus.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] cells = lines[i].split("\t", 2);
                List<String[]> planted = new ArrayList<>();
                Matcher m = PLANTED.matcher(cells[1]);
                StringBuilder text = new StringBuilder();
                while (m.find()) {
                    planted.add(new String[] {m.group(1), m.group(2)});
                    m.appendReplacement(text, Matcher.quoteReplacement(m.group(2)));
                }
                m.appendTail(text);
                corpus.add(new Utterance(i + 1, cells[0], text.toString(), planted));
            }
        }
        return corpus;
    }

    @Test
    void findsStructuredTypesAndLeavesNearMissesAlone() throws IOException {
        List<Utterance> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
        Map<String, int[]> perType = new TreeMap<>(); // type -> planted, found
        Map<String, int[]> nearMisses = new TreeMap<>(); // category -> utterances, with a redaction
        List<String> misses = new ArrayList<>();
        int extra = 0;
        for (Utterance u : corpus) {
            Redactor.Result result = REDACTOR.redact(u.text(), List.of());
            if (u.category().startsWith("near-miss")) {
                int[] n = nearMisses.computeIfAbsent(u.category(), k -> new int[2]);
                n[0]++;
                if (result.counts().total() > 0) {
                    n[1]++;
                    misses.add("false positive, line " + u.line() + ": " + u.text() + " -> " + result.text());
                }
                continue;
            }
            Map<String, Integer> expected = new TreeMap<>();
            for (String[] p : u.planted()) {
                int[] t = perType.computeIfAbsent(p[0], k -> new int[2]);
                t[0]++;
                expected.merge(p[0], 1, Integer::sum);
                boolean gone = !result.text().contains(p[1]);
                boolean typed = result.counts().counts().getOrDefault(p[0], 0) >= 1;
                if (gone && typed) {
                    t[1]++;
                } else {
                    misses.add("missed " + p[0] + ", line " + u.line() + ": " + u.text() + " -> " + result.text() + " " + result.counts());
                }
            }
            if (result.counts().total() > u.planted().size()) {
                extra += result.counts().total() - u.planted().size();
                misses.add("extra redaction, line " + u.line() + ": " + u.text() + " -> " + result.text());
            }
        }
        StringBuilder report = new StringBuilder("redaction corpus: " + corpus.size() + " utterances\n");
        perType.forEach((type, t) -> report.append(String.format(Locale.ROOT, "  %-13s planted %3d  found %3d  recall %.3f%n", type, t[0], t[1],
                t[1] / (double) t[0])));
        int nearTotal = nearMisses.values().stream().mapToInt(n -> n[0]).sum();
        int nearFalse = nearMisses.values().stream().mapToInt(n -> n[1]).sum();
        nearMisses.forEach((cat, n) -> report.append(String.format(Locale.ROOT, "  %-24s utterances %3d  false positives %d (%.1f %%)%n", cat, n[0],
                n[1], 100.0 * n[1] / n[0])));
        report.append(String.format(Locale.ROOT, "  near-misses in all: %d utterances, %d false positives (%.1f %%); extra redactions in planted "
                + "utterances: %d%n", nearTotal, nearFalse, 100.0 * nearFalse / nearTotal, extra));
        misses.forEach(m -> report.append("  ").append(m).append('\n'));
        System.out.print(report);

        perType.forEach((type, t) -> assertThat(t[1] / (double) t[0]).as("recall of %s%n%s", type, report).isGreaterThanOrEqualTo(0.98));
        assertThat(nearFalse / (double) nearTotal).as("false-positive rate on near-misses%n%s", report).isLessThanOrEqualTo(0.02);
        assertThat(extra).as("extra redactions in planted utterances%n%s", report).isLessThanOrEqualTo(1);
    }
}
