package dev.calleval.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.transcript.TranscriptInput;
import dev.calleval.transcript.TranscriptParser;
import dev.calleval.transcript.TranscriptParsers;
import dev.calleval.transcript.Utterance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Redaction over the real provider transcripts of {@code ../shared/real-transcripts/files/} (read from there, never
 * copied into this repository; skipped when absent): prints the redactions per type and per file, and each redacted
 * utterance, to be read for false positives. These are public sample recordings (a spacewalk, a class, support calls
 * of made-up customers): none holds a card, an SSN or an IBAN, so any of those is a false positive.
 */
@EnabledIf(value = "present", disabledReason = "../shared/real-transcripts/files/ is absent: the real provider transcripts are not part of this repository")
class RealTranscriptRedactionTests {
    static final Path FOLDER = Path.of("..", "shared", "real-transcripts", "files");
    private static final Redactor REDACTOR = new Redactor(RedactionPolicy.of(
            List.of("email", "phone", "payment-card", "ssn", "iban", "ip-address"), Map.of(), RedactionPolicy.Style.LABEL, false,
            RedactionPolicy.DEFAULT_PHONE_REGIONS));

    static boolean present() {
        return Files.isDirectory(FOLDER);
    }

    @Test
    void redactionsOfRealTranscriptsArePrintedAndNoneIsACardSsnOrIban() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(FOLDER)) {
            files = list.filter(f -> !f.getFileName().toString().equals("README.md")).sorted().toList();
        }
        RedactionCounts all = RedactionCounts.NONE;
        int utterances = 0;
        long nanos = 0;
        StringBuilder report = new StringBuilder();
        for (Path file : files) {
            TranscriptInput input = TranscriptInput.read(file, file.getFileName().toString());
            TranscriptParser parser = TranscriptParsers.all().stream().filter(p -> p.accepts(input)).findFirst().orElse(null);
            if (parser == null) {
                report.append(String.format(Locale.ROOT, "  %-52s no parser%n", file.getFileName()));
                continue;
            }
            RedactionCounts counts = RedactionCounts.NONE;
            List<Utterance> parsed = parser.parse(input).utterances();
            for (Utterance u : parsed) {
                long start = System.nanoTime();
                Redactor.Result result = REDACTOR.redact(u.text(), List.of());
                nanos += System.nanoTime() - start;
                if (result.counts().total() > 0) {
                    report.append("    ").append(file.getFileName()).append(": ").append(u.text()).append("\n      -> ").append(result.text()).append('\n');
                }
                counts = counts.plus(result.counts());
            }
            utterances += parsed.size();
            all = all.plus(counts);
            report.append(String.format(Locale.ROOT, "  %-52s utterances %5d  redactions %s%n", file.getFileName(), parsed.size(), counts));
        }
        System.out.printf(Locale.ROOT, "redaction of the real transcripts: %d files, %d utterances, redactions %s, %.1f µs per utterance%n%s",
                files.size(), utterances, all, nanos / 1000.0 / Math.max(1, utterances), report);

        assertThat(utterances).as("the files were read").isGreaterThan(400);
        assertThat(all.counts()).as("public sample calls hold no card, SSN or IBAN%n%s", report)
                .doesNotContainKeys("payment-card", "ssn", "iban");
    }
}
