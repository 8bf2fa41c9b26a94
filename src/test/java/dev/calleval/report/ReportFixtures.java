package dev.calleval.report;

import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.ledger.CallResult;
import dev.calleval.ledger.CallResults;
import dev.calleval.ledger.Ledger;
import dev.calleval.ledger.LedgerState;
import dev.calleval.mapping.MappedCall;
import dev.calleval.mapping.Problem;
import dev.calleval.source.SourceRef;
import dev.calleval.transcript.TranscriptFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Builds a judged evaluate execution in the real ledger, as a run plus Bluejay's webhooks would leave it: calls
 * evaluated with goal success, hallucination, latencies and three custom metrics (pass/fail, score, text), a few
 * incomplete, waiting, failed or refused by the API, and rows rejected locally. Texts carry HTML to prove the report
 * escapes them. The figures are deterministic: {@link Expected} says what the report must show.
 */
final class ReportFixtures {
    static final String JOB = "nightly";
    static final String SCRIPT = "</details><script>document.title='pwned'</script>";

    private ReportFixtures() {}

    /** What the execution holds. */
    record Expected(int calls, int evaluated, int incomplete, int waiting, int failed, int apiRejected, int localRejected,
            int goalYes, int goalNo, int hallucinated, int notHallucinated, int metricPass, int metricFail, double scoreMean) {
        long rowsRead() {
            return calls + localRejected;
        }
    }

    /**
     * Writes the transcripts under {@code dir} and records {@code calls} calls (at least 20) of execution
     * {@code executionId} plus 3 local rejections.
     */
    static Expected judgedExecution(Ledger ledger, CallResults results, long executionId, int calls, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path plain = dir.resolve("call-plain.json");
        Files.writeString(plain, """
                [{"start_offset_ms":0,"end_offset_ms":2100,"speaker":"AGENT","utterance":"Thanks for calling Northwind, this is Nora."},
                 {"start_offset_ms":2600,"end_offset_ms":5200,"speaker":"USER","utterance":"Where is my order NW-48172?"},
                 {"start_offset_ms":6100,"end_offset_ms":9000,"speaker":"AGENT","utterance":"It is out for delivery & arrives by 6 PM."}]
                """);
        Path hostile = dir.resolve("call <b>hostile #1?.json");
        Files.writeString(hostile, """
                [{"start_offset_ms":0,"end_offset_ms":1500,"speaker":"AGENT","utterance":"Hello"},
                 {"start_offset_ms":1800,"end_offset_ms":4000,"speaker":"USER","utterance":"%s"}]
                """.formatted(SCRIPT.replace("\"", "\\\"")));
        Path gone = dir.resolve("call-deleted-since.json");
        Random random = new Random(42);
        int evaluated = 0, incomplete = 0, waiting = 0, failed = 0, apiRejected = 0;
        int goalYes = 0, goalNo = 0, hallucinated = 0, notHallucinated = 0, pass = 0, fail = 0;
        double scoreSum = 0;
        int scores = 0;
        List<MappedCall.Accepted> accepted = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String sourceId = i == 1 ? "call-<img src=x onerror=alert(1)>" : "call-%05d".formatted(i);
            String transcriptRef = i == 1 ? hostile.toString() : i == 2 ? gone.toString()
                    : i == 3 ? "https://bucket.s3.amazonaws.com/t/3.json?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=deadbeef" : plain.toString();
            accepted.add(new MappedCall.Accepted(new SourceRef("manifests/nightly.csv", i + 2), sourceId, request(sourceId), "fp-" + i,
                    i == 3 ? null : TranscriptFormat.BLUEJAY, transcriptRef));
        }
        List<Ledger.Claim> claims = new ArrayList<>();
        for (int from = 0; from < accepted.size(); from += 100) {
            claims.addAll(ledger.claim(executionId, JOB, BluejayEndpoint.DEFAULT, accepted.subList(from, Math.min(accepted.size(), from + 100))).claimed());
        }
        for (int i = 0; i < claims.size(); i++) {
            Ledger.Claim claim = claims.get(i);
            long id = claim.ledgerId();
            if (i % 20 == 17) {
                ledger.markFailed(id, executionId, "503 Service Unavailable after 5 attempts <retry later>", 5);
                failed++;
                continue;
            }
            if (i % 20 == 19) {
                ledger.markRejectedByApi(id, executionId, claim.call().source(), claim.call().sourceId(), "participants",
                        "422: participants: List should have at least 2 items <b>bold</b>", 1);
                apiRejected++;
                continue;
            }
            String callId = UUID.nameUUIDFromBytes(("call" + i).getBytes()).toString();
            ledger.markSubmitted(id, executionId, callId, 1);
            if (i % 20 == 13) {
                waiting++;
                continue;
            }
            boolean complete = i % 20 != 7;
            Boolean goal = i % 10 == 4 ? null : i % 4 != 0;
            Boolean hal = i % 10 == 4 ? null : i % 9 == 0;
            double p50 = 0.4 + random.nextDouble() * 1.2;
            double p90 = p50 + random.nextDouble() * 1.5;
            String metric = i % 5 == 0 ? "fail" : "pass";
            double score = 5 + (i % 5);
            String resolution = i % 3 == 0 ? "refund" : i % 3 == 1 ? "replacement <i>sent</i>" : "escalated";
            String custom = "{\"Order status resolved\":\"%s\",\"Empathy score\":\"%s\",\"Resolution\":\"%s\"}"
                    .formatted(metric, Html.num(score, 1), resolution.replace("\"", "\\\""));
            results.applyResult(id, callId, new CallResult(complete ? LedgerState.EVALUATED : LedgerState.INCOMPLETE,
                    complete ? "COMPLETED" : "INCOMPLETED", i % 6 == 5 ? "POLL" : "WEBHOOK", "ev-" + i, goal, hal, 3 + i % 6,
                    40.0 + i % 20, round(p50), round(p90), custom,
                    "{\"id\":\"ev-%d\",\"goal_success\":%s,\"hallucination\":%s}".formatted(i, goal, hal)));
            if (complete) {
                evaluated++;
            } else {
                incomplete++;
            }
            if (goal != null) {
                if (goal) {
                    goalYes++;
                } else {
                    goalNo++;
                }
            }
            if (hal != null) {
                if (hal) {
                    hallucinated++;
                } else {
                    notHallucinated++;
                }
            }
            if (metric.equals("pass")) {
                pass++;
            } else {
                fail++;
            }
            scoreSum += score;
            scores++;
        }
        ledger.recordRejections(executionId, List.of(
                new MappedCall.Rejected(new SourceRef("manifests/nightly.csv", calls + 2), "bad-1",
                        List.of(new Problem("start_time_utc", "'2026-11-19 14:03' is not an ISO-8601 time with an offset"))),
                new MappedCall.Rejected(new SourceRef("manifests/nightly.csv", calls + 3), "<script>alert('x')</script>",
                        List.of(new Problem("transcript[3].start_offset_ms", "must be >= 0, got -120 <img src=x onerror=alert(2)>"))),
                new MappedCall.Rejected(new SourceRef("manifests/nightly.csv", calls + 4), null,
                        List.of(new Problem("call_id", "call_id is empty")))));
        return new Expected(calls, evaluated, incomplete, waiting, failed, apiRejected, 3, goalYes, goalNo, hallucinated, notHallucinated,
                pass, fail, scoreSum / scores);
    }

    /** The execution's summary, as a run that read every row would write it. */
    static RunSummary summary(ReportWriter writer, long executionId, Expected expected, Path dir) {
        return writer.summarize(new ReportWriter.ExecutionInfo(JOB, executionId, "COMPLETED", null, Instant.parse("2026-11-20T02:00:00Z"),
                Instant.parse("2026-11-20T02:41:13Z"), "../manifests/nightly.csv", "https://api.getbluejay.ai", expected.rowsRead(),
                new RunSummary.Requests(expected.calls() + 12, 4, 12, 0)), dir);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static EvaluateRequest request(String sourceId) {
        return new EvaluateRequest("1234", null, Instant.parse("2026-11-19T14:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, null, null), new Participant(ParticipantRole.USER, null, null, null)),
                "https://example.com/a.wav", null, CallDirection.INBOUND, CallInterface.PHONE, null, null, null, null, null, sourceId,
                null, Map.of("calleval_source_id", sourceId), null, null, null, null, null, null, null);
    }
}
