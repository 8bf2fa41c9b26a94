package dev.calleval.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.redaction.RedactionPolicy;
import dev.calleval.redaction.RedactionType;
import dev.calleval.source.CallRecord;
import dev.calleval.source.SourceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapping with the job's {@code redaction:} on: what is redacted, fingerprinted, left out and refused. */
class RedactedMappingTests {
    private static final RedactionPolicy ALL = RedactionPolicy.of(RedactionType.ids(), Map.of(), RedactionPolicy.Style.LABEL, false,
            RedactionPolicy.DEFAULT_PHONE_REGIONS);

    @TempDir
    Path dir;

    private CallRecord row(String recording, String transcript) throws Exception {
        Files.writeString(dir.resolve("t.json"), """
                [{"start_offset_ms": 0, "end_offset_ms": 1000, "speaker": "USER", "utterance": "I'm Ann Lee, ann@example.com"}]""");
        Files.write(dir.resolve("r.wav"), Files.readAllBytes(Path.of("sample-data/recordings/nw-2026-11-19-0001.wav")));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("call_id", "c-1");
        values.put("agent_id", "1");
        values.put("start_time_utc", "2026-11-19T08:00:00Z");
        values.put("recording", recording);
        values.put("transcript", transcript);
        values.put("customer_name", "Ann Lee");
        values.put("metadata.contact", "ann@example.com");
        return new CallRecord(new SourceRef("calls.csv", 2), dir, values, null);
    }

    @Test
    void theAcceptedRequestIsRedactedWithoutItsRecordingAndFingerprintedAsSent() throws Exception {
        CallMapper plain = new CallMapper(MappingDefaults.of("j"));
        CallMapper redacting = new CallMapper(MappingDefaults.of("j").withRedaction(ALL));

        MappedCall.Accepted original = (MappedCall.Accepted) plain.process(row("r.wav", "t.json"));
        MappedCall.Accepted redacted = (MappedCall.Accepted) redacting.process(row("r.wav", "t.json"));

        assertThat(original.request().recordingBase64()).isNotNull();
        assertThat(original.redactions()).isNull();
        assertThat(redacted.request().recordingBase64()).isNull();
        assertThat(redacted.request().recordingUrl()).isNull();
        assertThat(redacted.request().transcript().get(0).utterance()).isEqualTo("I'm [NAME], [EMAIL]");
        assertThat(redacted.request().metadata()).containsEntry("contact", "[EMAIL]").containsEntry("calleval_source_id", "c-1");
        assertThat(redacted.redactions().toString()).isEqualTo("email=2;participant-names=2");
        assertThat(redacted.fingerprint()).isEqualTo(Fingerprint.of(redacted.request())).isNotEqualTo(original.fingerprint());
    }

    @Test
    void aTranscriptUrlIsRefusedSinceBluejayWouldFetchItUnredacted() throws Exception {
        CallMapper redacting = new CallMapper(MappingDefaults.of("j").withRedaction(ALL));

        MappedCall mapped = redacting.process(row("r.wav", "https://example.com/t.json"));

        assertThat(mapped).isInstanceOf(MappedCall.Rejected.class);
        assertThat(((MappedCall.Rejected) mapped).problems()).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("transcript"))
                .satisfies(p -> assertThat(p.reason()).contains("cannot be redacted"));
        assertThat(((MappedCall.Accepted) new CallMapper(MappingDefaults.of("j")).process(row("r.wav", "https://example.com/t.json")))
                .request().transcriptUrl()).isEqualTo("https://example.com/t.json");
    }

    @Test
    void keepSendsTheRecording() throws Exception {
        RedactionPolicy keep = RedactionPolicy.of(List.of("email"), Map.of(), RedactionPolicy.Style.MASK, true, List.of("US"));

        MappedCall.Accepted redacted = (MappedCall.Accepted) new CallMapper(MappingDefaults.of("j").withRedaction(keep)).process(row("r.wav", "t.json"));

        assertThat(redacted.request().recordingBase64()).isNotNull();
        assertThat(redacted.request().transcript().get(0).utterance()).isEqualTo("I'm Ann Lee, ***@*******.***");
    }
}
