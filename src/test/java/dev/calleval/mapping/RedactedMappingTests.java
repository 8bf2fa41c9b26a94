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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mapping with the job's {@code redaction:} on: what is redacted, fingerprinted, left out and refused. */
class RedactedMappingTests {
    private static final RedactionPolicy ALL = RedactionPolicy.of(RedactionType.ids(), Map.of(), RedactionPolicy.Style.LABEL, false,
            RedactionPolicy.DEFAULT_PHONE_REGIONS);

    @TempDir
    Path dir;

    private CallRecord row(String recording, String transcript) throws Exception {
        return row(recording, transcript, null);
    }

    private CallRecord row(String recording, String transcript, @Nullable String transcriptFormat) throws Exception {
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
        if (transcriptFormat != null) {
            values.put("transcript_format", transcriptFormat);
        }
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

    @Test
    void aRejectionReasonQuotingTheTranscriptIsRedacted() throws Exception {
        // a transcript the parser refuses quotes the offending line (and a speaker label) in its reason, which goes to
        // the log, the rejection table, rejects.csv and plan.csv: with redaction on it must not carry the original values
        Files.writeString(dir.resolve("bad.srt"), "1\n00:00:00,000 --> 00:00:01,000\nAnn Lee: mail ann@example.com, +1 415 555 0134 -->\n");
        Files.writeString(dir.resolve("unmapped.json"), """
                [{"start_offset_ms": 0, "end_offset_ms": 1000, "speaker": "Ann Lee", "utterance": "hello"}]""");
        CallMapper redacting = new CallMapper(MappingDefaults.of("j").withRedaction(ALL));

        for (List<String> transcript : List.of(List.of("bad.srt", "srt"), List.of("unmapped.json", "bluejay"))) {
            CallRecord row = row("r.wav", transcript.get(0), transcript.get(1));
            MappedCall.Rejected plain = (MappedCall.Rejected) new CallMapper(MappingDefaults.of("j")).process(row);
            MappedCall.Rejected redacted = (MappedCall.Rejected) redacting.process(row);

            assertThat(plain.reason()).contains("Ann Lee"); // the reason does quote the input without redaction
            assertThat(redacted.reason()).doesNotContain("ann@example.com", "555 0134", "Ann", "Lee")
                    .contains(plain.problems().get(0).field());
            assertThat(redacted.problems()).extracting(Problem::field).isEqualTo(plain.problems().stream().map(Problem::field).toList());
        }
    }
}
