package dev.calleval.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.RecordingData;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTests {
    private static RedactionPolicy policy(RedactionPolicy.Style style, Map<String, String> patterns, String... types) {
        return RedactionPolicy.of(List.of(types), patterns, style, false, RedactionPolicy.DEFAULT_PHONE_REGIONS);
    }

    @Test
    void maskKeepsTheLengthAndShape() {
        Redactor redactor = new Redactor(policy(RedactionPolicy.Style.MASK, Map.of(), "phone", "email"));

        Redactor.Result result = redactor.redact("call (415) 555-2671 or mail ann@example.com", List.of());

        assertThat(result.text()).isEqualTo("call (***) ***-**** or mail ***@*******.***");
        assertThat(result.counts().toString()).isEqualTo("email=1;phone=1");
    }

    @Test
    void participantNamesAreFoundWholeAndByWordCaseInsensitively() {
        Redactor redactor = new Redactor(policy(RedactionPolicy.Style.LABEL, Map.of(), "participant-names"));

        Redactor.Result result = redactor.redact("Maria Alvarez here. Yes, MARIA. Ms alvarez's account; Mariana is my sister.",
                List.of("Maria Alvarez"));

        assertThat(result.text()).isEqualTo("[NAME] here. Yes, [NAME]. Ms [NAME]'s account; Mariana is my sister.");
        assertThat(result.counts().counts()).containsEntry("participant-names", 3);
    }

    @Test
    void namedPatternsComeFirstAndOnlyTypesAskedForAreReplaced() {
        Redactor redactor = new Redactor(policy(RedactionPolicy.Style.LABEL, Map.of("account-number", "ACC-\\d{8}"), "email"));

        Redactor.Result result = redactor.redact("ACC-41114111 and (415) 555-2671 and a@b.io", List.of());

        assertThat(result.text()).isEqualTo("[ACCOUNT-NUMBER] and (415) 555-2671 and [EMAIL]");
    }

    @Test
    void aRequestIsRedactedEverywhereButItsCorrelationKeysAndTheRecordingIsLeftOut() {
        RequestRedactor redactor = new RequestRedactor(policy(RedactionPolicy.Style.LABEL, Map.of(), RedactionType.ids().toArray(String[]::new)),
                Set.of("calleval_source_id"));
        EvaluateRequest request = new EvaluateRequest("1", null, Instant.parse("2026-11-19T08:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, "Nora", null), new Participant(ParticipantRole.USER, null, "Ann Lee", "+15555550101")),
                "https://example.com/a.wav", null, null, null, null,
                List.of(new TranscriptEntry(0, 10, ParticipantRole.USER, "I'm Ann, card 4111111111111111", null)),
                List.of(new ToolCall("pay", 0, null, Map.of("card", 4111111111111111L, "amount", 1250, "items", List.of("ann@example.com")), null)),
                null, List.of("tag"), "trace", null, Map.of("calleval_source_id", "ann@example.com", "email", "ann@example.com"), null, null, null,
                null, null, null, null);

        RequestRedactor.Redacted redacted = redactor.redact(request);

        EvaluateRequest out = redacted.request();
        assertThat(out.recordingUrl()).isNull();
        assertThat(out.participants()).extracting(Participant::name).containsExactly("[NAME]", "[NAME]");
        assertThat(out.participants().get(1).phoneNumber()).isEqualTo("[PHONE]");
        assertThat(out.transcript().get(0).utterance()).isEqualTo("I'm [NAME], card [PAYMENT-CARD]");
        assertThat(out.toolCalls().get(0).parameters()).containsEntry("card", "[PAYMENT-CARD]").containsEntry("amount", 1250)
                .containsEntry("items", List.of("[EMAIL]"));
        assertThat(out.metadata()).containsEntry("calleval_source_id", "ann@example.com").containsEntry("email", "[EMAIL]");
        assertThat(out.traceId()).isEqualTo("trace");
        assertThat(redacted.counts().toString()).isEqualTo("email=2;participant-names=3;payment-card=2;phone=1");
    }

    @Test
    void keepRecordingSendsItAsItIs() {
        RequestRedactor redactor = new RequestRedactor(RedactionPolicy.of(List.of("email"), Map.of(), RedactionPolicy.Style.LABEL, true,
                List.of("US")), Set.of());
        EvaluateRequest request = new EvaluateRequest("1", null, Instant.EPOCH, List.of(new Participant(ParticipantRole.AGENT, null, null, null),
                new Participant(ParticipantRole.USER, null, null, null)), "https://example.com/a.wav", (RecordingData) null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(redactor.redact(request).request().recordingUrl()).isEqualTo("https://example.com/a.wav");
        assertThat(redactor.redact(request).counts().total()).isZero();
    }
}
