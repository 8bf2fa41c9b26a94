import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.redaction.RedactionPolicy;
import dev.calleval.redaction.RedactionType;
import dev.calleval.redaction.RequestRedactor;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The cost of redaction per call at B2's size: the request B2 sends (bench/benchlib.py TRANSCRIPT: six utterances,
 * two named participants, calleval's metadata), redacted with every type on (the default of {@code redaction:
 * enabled: true}), in one thread. Also the same call with personal data planted in two utterances (an e-mail, a phone
 * number, a card), where every detector finds something. Prints one line per case: µs per call (mean of the timed
 * rounds after a warm-up), and the redactions per call.
 *
 * <p>Run with the application's classes on the class path (the jar extracted by
 * {@code java -Djarmode=tools -jar target/calleval.jar extract --destination DIR}):
 * <pre>
 * java -cp DIR/calleval.jar bench/RedactionBench.java [--calls 20000] [--warmup 20000]
 * </pre>
 */
public final class RedactionBench {
    public static void main(String[] args) {
        int calls = 20_000;
        int warmup = 20_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--calls" -> calls = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--calls N, --warmup N)");
            }
        }
        RequestRedactor redactor = new RequestRedactor(RedactionPolicy.of(RedactionType.ids(), Map.of(), RedactionPolicy.Style.LABEL, false,
                RedactionPolicy.DEFAULT_PHONE_REGIONS), Set.of("calleval_source_id", "calleval_job"));
        List<String> b2 = List.of("Thanks for calling, this is Nora. How can I help?", "Hi, I'd like to check on my order, it was due yesterday.",
                "Sure. What's the order number?", "It's 48172.", "Thanks. It left the warehouse this morning and arrives tomorrow before noon.",
                "Great, thank you. Bye.");
        List<String> planted = List.of(b2.get(0), "Hi, it's Customer 17, mail me at customer17@example.com or call (415) 555-2671.",
                b2.get(2), "It's 48172, paid with 4111 1111 1111 1111.", b2.get(4), b2.get(5));
        for (var c : List.of(Map.entry("B2 call (no personal data but the names)", b2), Map.entry("B2 call with e-mail, phone, card planted", planted))) {
            EvaluateRequest request = request(c.getValue());
            for (int i = 0; i < warmup; i++) {
                redactor.redact(request);
            }
            long redactions = 0;
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                redactions += redactor.redact(request).counts().total();
            }
            double us = (System.nanoTime() - start) / 1000.0 / calls;
            System.out.printf(Locale.ROOT, "%-44s %8.1f µs per call  (%d calls, %d redactions per call, %d utterances)%n", c.getKey(), us, calls,
                    redactions / calls, c.getValue().size());
        }
    }

    private static EvaluateRequest request(List<String> utterances) {
        List<TranscriptEntry> transcript = new java.util.ArrayList<>();
        for (int i = 0; i < utterances.size(); i++) {
            transcript.add(new TranscriptEntry(i * 5000L, i * 5000L + 3000, i % 2 == 0 ? ParticipantRole.AGENT : ParticipantRole.USER,
                    utterances.get(i), null));
        }
        return new EvaluateRequest("1234", null, Instant.parse("2026-11-19T08:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, true, "Nora (Bench AI)", null), new Participant(ParticipantRole.USER, false, "Customer 17", null)),
                "https://recordings.example.com/bench/bench-000017.wav", null, null, null, null, transcript, null, null, List.of("bench"), "bench-000017",
                null, Map.of("calleval_job", "b2", "calleval_source_id", "bench-000017"), null, null, null, null, null, null, null);
    }
}
