package dev.calleval.mapping;

import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.source.CallRecord;
import dev.calleval.source.ColumnMapping;
import dev.calleval.source.ManifestItemReader;
import dev.calleval.source.SourceRef;
import dev.calleval.transcript.SpeakerMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class CallMapperTests {

    private static final Path SAMPLES = Path.of("sample-data").toAbsolutePath();
    private static final Path MANIFESTS = SAMPLES.resolve("manifests");
    /** A plain mapper, independent of the production one, to read the sample files for expectations. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final MappingDefaults DEFAULTS = new MappingDefaults("nightly-test", null, null,
            List.of("calleval", "orders"), List.of(), List.of(), null, null, null, null, Map.of("env", "test"), 50L << 20, null, SpeakerMapping.defaults());

    private static final Map<String, Instant> START_TIMES = Map.ofEntries(
            entry("nw-2026-11-19-0001", Instant.parse("2026-11-19T08:02:11Z")),
            entry("nw-2026-11-19-0002", Instant.parse("2026-11-19T08:17:45Z")),
            entry("nw-2026-11-19-0003", Instant.parse("2026-11-19T09:04:03Z")),
            entry("nw-2026-11-19-0004", Instant.parse("2026-11-19T14:15:00Z")), // 09:15:00-05:00
            entry("nw-2026-11-19-0005", Instant.parse("2026-11-19T10:26:52Z")),
            entry("nw-2026-11-19-0006", Instant.parse("2026-11-19T11:02:37Z")),
            entry("nw-2026-11-19-0007", Instant.parse("2026-11-19T12:48:09Z")),
            entry("nw-2026-11-19-0008", Instant.parse("2026-11-19T13:30:55Z")),
            entry("nw-2026-11-19-0009", Instant.parse("2026-11-19T14:03:22Z")),
            entry("nw-2026-11-19-0010", Instant.parse("2026-11-19T15:41:37Z")), // 10:41:37-05:00
            entry("nw-2026-11-19-0011", Instant.parse("2026-11-19T15:12:04Z")),
            entry("nw-2026-11-19-0012", Instant.parse("2026-11-19T15:40:18Z")),
            entry("nw-2026-11-19-0013", Instant.parse("2026-11-19T16:05:49Z")),
            entry("nw-2026-11-19-0014", Instant.parse("2026-11-19T17:22:30Z")),
            entry("nw-2026-11-19-0015", Instant.parse("2026-11-19T18:47:13Z")));

    private static final Map<String, List<String>> CUSTOM_METRICS = Map.of(
            "nw-2026-11-19-0002", List.of("3f0c2a57-5b1e-4c8e-9a7d-2e6b1f4c9d10"),
            "nw-2026-11-19-0009", List.of("8d41b6e2-0c7a-4f3b-b5e9-61a2c7d8e4f3", "3f0c2a57-5b1e-4c8e-9a7d-2e6b1f4c9d10"),
            "nw-2026-11-19-0014", List.of("c2a9e7f1-4b6d-4e21-8f3a-9d0b5c6e7a18"));

    private final CallMapper mapper = new CallMapper(DEFAULTS);

    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------ sample manifests

    @Test
    void mapsEverySampleCallToACompleteRequest() throws IOException {
        List<CallRecord> rows = readManifest("calls.csv");
        assertThat(rows).hasSize(15);

        for (CallRecord row : rows) {
            String callId = row.callId().orElseThrow();
            MappedCall mapped = mapper.process(row);
            assertThat(mapped).as(callId).isInstanceOf(MappedCall.Accepted.class);
            MappedCall.Accepted accepted = (MappedCall.Accepted) mapped;
            EvaluateRequest request = accepted.request();

            assertThat(accepted.sourceId()).isEqualTo(callId);
            assertThat(accepted.source()).isEqualTo(row.source());
            assertThat(accepted.fingerprint()).matches("[0-9a-f]{64}");
            assertThat(request.agentId()).isEqualTo("1234");
            assertThat(request.externalAgentId()).isNull();
            assertThat(request.traceId()).isEqualTo(callId);
            assertThat(request.startTimeUtc()).as(callId + " start").isEqualTo(START_TIMES.get(callId));

            boolean agentFirst = Boolean.parseBoolean(row.value("agent_spoke_first").orElseThrow());
            assertThat(request.participants()).as(callId + " participants").containsExactly(
                    new Participant(ParticipantRole.AGENT, agentFirst, "Nora (Northwind AI)", "+15550100"),
                    new Participant(ParticipantRole.USER, !agentFirst, row.value("customer_name").orElseThrow(),
                            row.value("customer_phone").orElse(null)));

            assertThat(request.recordingUrl()).isNull();
            assertThat(request.recordingBase64()).as(callId + " recording").isNotNull();
            Path wav = SAMPLES.resolve("recordings/" + callId + ".wav");
            assertThat(request.recordingBase64().file()).isEqualTo(wav);
            assertThat(request.recordingBase64().mediaType()).isEqualTo("audio/wav");
            assertThat(request.recordingBase64().sizeBytes()).isEqualTo(Files.size(wav));

            assertThat(request.transcriptUrl()).isNull();
            assertThat(request.transcript()).as(callId + " transcript")
                    .isEqualTo(transcriptFromFile(SAMPLES.resolve("transcripts/" + callId + ".json")));

            JsonNode sidecar = sidecarOf(callId);
            if (sidecar == null) {
                assertThat(request.toolCalls()).as(callId + " tool calls").isNull();
                assertThat(request.events()).as(callId + " events").isNull();
            } else {
                assertThat(request.toolCalls()).as(callId + " tool calls").isEqualTo(toolCallsFrom(sidecar));
                assertThat(request.events()).as(callId + " events").isEqualTo(eventsFrom(sidecar));
            }

            LinkedHashSet<String> tags = new LinkedHashSet<>(DEFAULTS.tags());
            tags.addAll(List.of(row.value("tags").orElseThrow().split(";")));
            if (sidecar != null && row.value("sidecar").isPresent()) {
                sidecar.path("tags").forEach(t -> tags.add(t.asString()));
            }
            assertThat(request.tags()).as(callId + " tags").containsExactlyElementsOf(tags);

            assertThat(request.metadata()).as(callId + " metadata").contains(
                    entry("calleval_source_id", callId),
                    entry("calleval_job", "nightly-test"),
                    entry("env", "test"),
                    entry("queue", row.value("metadata.queue").orElseThrow()),
                    entry("customer_tier", row.value("metadata.customer_tier").orElseThrow()));
            if (sidecar != null && row.value("sidecar").isPresent()) {
                Map<String, Object> sidecarMetadata = toMap(sidecar.get("metadata"));
                assertThat(request.metadata()).containsAllEntriesOf(sidecarMetadata);
            }

            assertThat(request.customMetrics()).as(callId + " custom metrics").isEqualTo(CUSTOM_METRICS.get(callId));
            assertThat(request.multichannel()).isTrue();
            assertThat(request.callDirection()).isEqualTo(CallDirection.valueOf(row.value("call_direction").orElseThrow()));
            assertThat(request.callInterface()).isEqualTo(CallInterface.valueOf(row.value("interface").orElseThrow()));
            assertThat(request.conversationEndedBy())
                    .isEqualTo(ParticipantRole.valueOf(row.value("conversation_ended_by").orElseThrow()));
            assertThat(request.label()).isEqualTo(row.value("label").orElse(null));
        }
    }

    @Test
    void mapsTheFirstSampleCallToTheExpectedValues() {
        EvaluateRequest request = accepted(readManifest("calls.csv").get(0)).request();

        assertThat(request.tags()).containsExactly("calleval", "orders", "nightly", "order-status");
        assertThat(request.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "env", "test", "order_id", "NW-48172", "resolution", "informed", "queue", "orders",
                "customer_tier", "gold", "calleval_job", "nightly-test", "calleval_source_id", "nw-2026-11-19-0001",
                "sandbox_goal_success", "true", "sandbox_hallucination", "false",
                "sandbox_custom_metrics", "Resolved on first contact=pass;Politeness=5"));
        assertThat(request.toolCalls()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("lookup_order");
            assertThat(t.startOffsetMs()).isEqualTo(16140);
            assertThat(t.parameters()).containsExactly(entry("order_id", "NW-48172"));
            assertThat(t.output()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                    .containsEntry("status", "out_for_delivery").containsEntry("carrier", "UPS");
        });
        assertThat(request.transcript()).hasSize(8);
        assertThat(request.transcript().get(0))
                .isEqualTo(new TranscriptEntry(332, 3595, ParticipantRole.AGENT, "Northwind Support, this is Nora. How can I help?", null));
        assertThat(request.transcript()).filteredOn(e -> Boolean.TRUE.equals(e.fillerUtterance())).hasSize(1);
        assertThat(request.conversationEndedBy()).isEqualTo(ParticipantRole.USER);
        assertThat(request.label()).isEqualTo("production");
    }

    @Test
    void readsToolCallsAndEventsFromTheirOwnColumns() throws IOException {
        CallRecord row = readManifest("calls.csv").get(7);
        assertThat(row.callId()).contains("nw-2026-11-19-0008");

        EvaluateRequest request = accepted(row).request();

        assertThat(request.toolCalls()).extracting(ToolCall::name).containsExactly("lookup_subscription", "cancel_subscription");
        assertThat(request.toolCalls().get(1).parameters())
                .containsExactly(entry("subscription_id", "SUB-3391"), entry("effective", "end_of_period"));
        assertThat(request.events()).extracting(Event::title).containsExactly("Hold", "Customer verified", "Subscription cancelled");
        // only the sidecar column merges a sidecar's tags and metadata
        assertThat(request.tags()).doesNotContain("cancellation");
        assertThat(request.metadata()).doesNotContainKey("subscription_id");
    }

    @Test
    void rejectsEveryBadSampleRowOnItsFieldAndNamesTheOffendingValue() throws IOException {
        record Expected(String field, String... reasonContains) {}
        Map<Long, Expected> bad = Map.of(
                4L, new Expected("call_id", "call_id is empty"),
                5L, new Expected("start_time_utc", "'19/11/2026 14:00'", "not an ISO-8601"),
                7L, new Expected("start_time_utc", "'2026-11-19T14:00:00'", "no offset"),
                8L, new Expected("call_direction", "'SIDEWAYS'", "INBOUND", "OUTBOUND"),
                10L, new Expected("transcript", "../transcripts/does-not-exist.json", "not found"),
                11L, new Expected("custom_metrics", "'not-a-uuid'", "not a UUID"),
                13L, new Expected("participants", "found 3", "Lukas Becker"),
                14L, new Expected("recording", "2300 characters", "2083"),
                17L, new Expected("transcript[0].start_offset_ms", "-120", ">= 0"));
        long duplicateLine = 16;

        Map<Long, Set<String>> readme = readmeTable();
        assertThat(readme.keySet()).as("bad rows listed in manifests/README.md")
                .containsExactlyInAnyOrderElementsOf(union(bad.keySet(), Set.of(duplicateLine)));

        Map<Long, MappedCall> byLine = new HashMap<>();
        for (CallRecord row : readManifest("calls-with-errors.csv")) {
            byLine.put(row.source().line(), mapper.process(row));
        }
        assertThat(byLine).hasSize(17);

        bad.forEach((line, expected) -> {
            MappedCall mapped = byLine.get(line);
            assertThat(mapped).as("line %d", line).isInstanceOf(MappedCall.Rejected.class);
            MappedCall.Rejected rejected = (MappedCall.Rejected) mapped;
            assertThat(rejected.source()).hasToString("calls-with-errors.csv:" + line);
            assertThat(rejected.problems()).as("line %d problems", line).singleElement().satisfies(p -> {
                assertThat(p.field()).isEqualTo(expected.field());
                assertThat(p.reason()).contains(expected.reasonContains());
            });
        });
        assertThat(((MappedCall.Rejected) byLine.get(4L)).sourceId()).isNull();
        assertThat(((MappedCall.Rejected) byLine.get(8L)).sourceId()).isEqualTo("nw-err-bad-04");

        // duplicates are the ledger's business: to the mapper the repeated call_id is a valid row
        assertThat(byLine.get(duplicateLine)).isInstanceOfSatisfying(MappedCall.Accepted.class,
                a -> assertThat(a.sourceId()).isEqualTo("nw-err-good-02"));
        for (long good : readmeGoodLines()) {
            assertThat(byLine.get(good)).as("good line %d", good).isInstanceOf(MappedCall.Accepted.class);
        }
    }

    // ------------------------------------------------------------------------------ transcripts

    @Test
    void rejectsFractionalOffsetNamingTheEntry() throws IOException {
        transcript("""
                [{"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "AGENT", "utterance": "Hello"},
                 {"start_offset_ms": 1.5, "end_offset_ms": 1900, "speaker": "USER", "utterance": "Hi"}]""");

        Problem problem = singleProblem(mapper.process(row(Map.of())));

        assertThat(problem.field()).isEqualTo("transcript[1].start_offset_ms");
        assertThat(problem.reason()).contains("integer").contains("1.5");
    }

    @Test
    void rejectsEntryThatEndsBeforeItStarts() throws IOException {
        transcript("""
                [{"start_offset_ms": 500, "end_offset_ms": 400, "speaker": "AGENT", "utterance": "Hello"}]""");

        Problem problem = singleProblem(mapper.process(row(Map.of())));

        assertThat(problem.field()).isEqualTo("transcript[0].end_offset_ms");
        assertThat(problem.reason()).contains("400").contains("500");
    }

    @Test
    void rejectsEntriesNotSortedByStart() throws IOException {
        transcript("""
                [{"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "AGENT", "utterance": "Hello"},
                 {"start_offset_ms": 3000, "end_offset_ms": 3500, "speaker": "USER", "utterance": "Later"},
                 {"start_offset_ms": 1000, "end_offset_ms": 1500, "speaker": "AGENT", "utterance": "Earlier"}]""");

        Problem problem = singleProblem(mapper.process(row(Map.of())));

        assertThat(problem.field()).isEqualTo("transcript[2].start_offset_ms");
        assertThat(problem.reason()).contains("not sorted").contains("1000").contains("3000");
    }

    @Test
    void rejectsUnknownSpeaker() throws IOException {
        transcript("""
                [{"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "BOT", "utterance": "Beep"}]""");

        Problem problem = singleProblem(mapper.process(row(Map.of())));

        assertThat(problem.field()).isEqualTo("transcript[0].speaker");
        assertThat(problem.reason()).contains("'BOT'").contains("AGENT or USER");
    }

    @Test
    void acceptsSpeakerInAnyCase() throws IOException {
        transcript("""
                {"transcript": [{"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "agent", "utterance": "Hi", "filler_utterance": false}]}""");

        EvaluateRequest request = accepted(row(Map.of())).request();

        assertThat(request.transcript()).containsExactly(new TranscriptEntry(0, 900, ParticipantRole.AGENT, "Hi", false));
    }

    @Test
    void rejectsInvalidJsonNamingLineAndColumn() throws IOException {
        transcript("""
                [
                  {"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "AGENT", "utterance": "Hello"}
                  {"start_offset_ms": 1000, "end_offset_ms": 1900, "speaker": "USER", "utterance": "Hi"}
                ]""");

        Problem problem = singleProblem(mapper.process(row(Map.of())));

        assertThat(problem.field()).isEqualTo("transcript");
        assertThat(problem.reason()).startsWith("t.json is not valid JSON at line 3, column 3: ").contains("comma");
    }

    // ------------------------------------------------------------------------------ recordings

    @Test
    void rejectsRecordingThatIsNotAudio() throws IOException {
        validTranscript();
        Files.writeString(dir.resolve("notes.wav"), "these are meeting notes, not audio\n");

        Problem problem = singleProblem(mapper.process(row(Map.of("recording", "notes.wav"))));

        assertThat(problem.field()).isEqualTo("recording");
        assertThat(problem.reason()).contains("notes.wav").contains("not a WAV, MP3, MP4 or M4A");
    }

    @Test
    void rejectsRecordingOverTheSizeCap() throws IOException {
        validTranscript();
        Path wav = SAMPLES.resolve("recordings/nw-2026-11-19-0001.wav");
        CallMapper capped = new CallMapper(new MappingDefaults("capped", null, null, List.of(), List.of(), List.of(),
                null, null, null, null, Map.of(), 1024, null, SpeakerMapping.defaults()));

        Problem problem = singleProblem(capped.process(row(Map.of("recording", wav.toString()))));

        assertThat(problem.field()).isEqualTo("recording");
        assertThat(problem.reason()).contains(Files.size(wav) + " bytes").contains("cap of 1024 bytes");
    }

    @Test
    void passesHttpRecordingThroughAsRecordingUrl() throws IOException {
        validTranscript();

        EvaluateRequest https = accepted(row(Map.of("recording", "https://recordings.example.com/c-1.wav"))).request();
        EvaluateRequest http = accepted(row(Map.of("recording", "http://recordings.example.com/c-1.wav"))).request();

        assertThat(https.recordingUrl()).isEqualTo("https://recordings.example.com/c-1.wav");
        assertThat(https.recordingBase64()).isNull();
        assertThat(http.recordingUrl()).isEqualTo("http://recordings.example.com/c-1.wav");
    }

    @Test
    void passesUpperCaseSchemeRecordingThroughAsRecordingUrl() throws IOException {
        validTranscript();

        EvaluateRequest request = accepted(row(Map.of("recording", "HTTPS://recordings.example.com/c-1.wav"))).request();

        assertThat(request.recordingUrl()).isEqualTo("HTTPS://recordings.example.com/c-1.wav");
    }

    // ------------------------------------------------------------------------------ columns

    @Test
    void rejectsCallWithoutAgentWhenThereIsNoDefault() throws IOException {
        validTranscript();
        Map<String, String> values = new HashMap<>(baseValues());
        values.remove("agent_id");

        MappedCall mapped = new CallMapper(MappingDefaults.of("no-agent")).process(record(values));

        assertThat(singleProblem(mapped).field()).isEqualTo("agent_id");
        assertThat(mapped.sourceId()).isEqualTo("c-1");
    }

    @Test
    void usesTheDefaultAgentWhenTheRowHasNone() throws IOException {
        validTranscript();
        Map<String, String> values = new HashMap<>(baseValues());
        values.remove("agent_id");
        CallMapper withDefault = new CallMapper(new MappingDefaults("job", "9876", null, List.of(), List.of(), List.of(),
                null, null, null, null, Map.of(), 1024, null, SpeakerMapping.defaults()));

        assertThat(accepted(withDefault, record(values)).request().agentId()).isEqualTo("9876");
    }

    @Test
    void acceptsYesAndNoAsBooleans() throws IOException {
        validTranscript();

        EvaluateRequest request = accepted(row(Map.of("agent_spoke_first", "yes", "multichannel", "no"))).request();

        assertThat(request.participants()).extracting(Participant::role, Participant::spokeFirst)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ParticipantRole.AGENT, true),
                        org.assertj.core.groups.Tuple.tuple(ParticipantRole.USER, false));
        assertThat(request.multichannel()).isFalse();
    }

    @Test
    void rejectsBooleanThatIsNeitherYesNorNo() throws IOException {
        validTranscript();

        Problem problem = singleProblem(mapper.process(row(Map.of("agent_spoke_first", "maybe"))));

        assertThat(problem.field()).isEqualTo("agent_spoke_first");
        assertThat(problem.reason()).contains("'maybe'");
    }

    @Test
    void rejectsACellWithAControlCharacterNamingTheField() throws IOException {
        validTranscript();
        Map<String, String> values = new java.util.HashMap<>(baseValues());
        values.put("call_id", "c-\u00001");

        Problem problem = singleProblem(mapper.process(new CallRecord(new SourceRef("test.csv", 7), dir, values, null)));

        assertThat(problem.field()).isEqualTo("call_id");
        assertThat(problem.reason()).startsWith("call_id holds the control character U+0000 at position 3, the mark of a broken export");
    }

    @Test
    void keepsTabsAndLineBreaksInCells() throws IOException {
        validTranscript();
        Map<String, String> values = new java.util.HashMap<>(baseValues());
        values.put("agent_name", "Nora\t(Northwind)\r\nAI");

        assertThat(mapper.process(new CallRecord(new SourceRef("test.csv", 7), dir, values, null))).isInstanceOf(MappedCall.Accepted.class);
    }

    @Test
    void rejectsRowTheReaderFlaggedAsMalformed() throws IOException {
        validTranscript();

        MappedCall mapped = mapper.process(new CallRecord(new SourceRef("test.csv", 7), dir, baseValues(),
                "row has 4 fields but the header has 3"));

        assertThat(singleProblem(mapped)).isEqualTo(new Problem("row", "row has 4 fields but the header has 3"));
        assertThat(mapped.source().line()).isEqualTo(7);
    }

    // ------------------------------------------------------------------------------ fingerprint

    @Test
    void fingerprintIsStableForTheSameInputAndChangesWithTheTranscript() throws IOException {
        validTranscript();
        Path wav = SAMPLES.resolve("recordings/nw-2026-11-19-0001.wav");
        CallRecord row = row(Map.of("recording", wav.toString()));

        String first = accepted(row).fingerprint();
        String again = accepted(new CallMapper(DEFAULTS), row).fingerprint();
        assertThat(again).isEqualTo(first);

        transcript("""
                [{"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "AGENT", "utterance": "Hello there"}]""");
        String changed = accepted(row).fingerprint();

        assertThat(changed).isNotEqualTo(first).matches("[0-9a-f]{64}");
    }

    // ------------------------------------------------------------------------------ helpers

    private MappedCall.Accepted accepted(CallRecord row) {
        return accepted(mapper, row);
    }

    private static MappedCall.Accepted accepted(CallMapper mapper, CallRecord row) {
        MappedCall mapped = mapper.process(row);
        assertThat(mapped).isInstanceOf(MappedCall.Accepted.class);
        return (MappedCall.Accepted) mapped;
    }

    private static Problem singleProblem(MappedCall mapped) {
        assertThat(mapped).isInstanceOf(MappedCall.Rejected.class);
        List<Problem> problems = ((MappedCall.Rejected) mapped).problems();
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private static Map<String, String> baseValues() {
        return Map.of("call_id", "c-1", "agent_id", "1234", "start_time_utc", "2026-11-19T08:00:00Z", "transcript", "t.json");
    }

    /** A row over the base values (a valid call with the transcript {@code t.json}) plus {@code extra}. */
    private CallRecord row(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(baseValues());
        values.putAll(extra);
        return record(values);
    }

    private CallRecord record(Map<String, String> values) {
        return new CallRecord(new SourceRef("test.csv", 2), dir, values, null);
    }

    private void transcript(String json) throws IOException {
        Files.writeString(dir.resolve("t.json"), json);
    }

    private void validTranscript() throws IOException {
        transcript("""
                [{"start_offset_ms": 0, "end_offset_ms": 900, "speaker": "AGENT", "utterance": "Hello"},
                 {"start_offset_ms": 1200, "end_offset_ms": 1900, "speaker": "USER", "utterance": "Hi"}]""");
    }

    private static List<CallRecord> readManifest(String name) {
        ManifestItemReader reader = new ManifestItemReader(MANIFESTS.resolve(name), name, ColumnMapping.identity());
        reader.open(new ExecutionContext());
        try {
            List<CallRecord> rows = new ArrayList<>();
            CallRecord row;
            while ((row = reader.read()) != null) {
                rows.add(row);
            }
            return rows;
        } finally {
            reader.close();
        }
    }

    private static List<TranscriptEntry> transcriptFromFile(Path file) {
        List<TranscriptEntry> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(file.toFile())) {
            out.add(new TranscriptEntry(e.get("start_offset_ms").asLong(), e.get("end_offset_ms").asLong(),
                    ParticipantRole.valueOf(e.get("speaker").asString()), e.get("utterance").asString(),
                    e.has("filler_utterance") ? e.get("filler_utterance").asBoolean() : null));
        }
        return out;
    }

    /** The sidecar a sample row references through its sidecar or tool_calls column, or null. */
    private static JsonNode sidecarOf(String callId) {
        Path file = SAMPLES.resolve("sidecars/" + callId + ".json");
        return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
    }

    private static List<ToolCall> toolCallsFrom(JsonNode sidecar) {
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode t : sidecar.path("tool_calls")) {
            out.add(new ToolCall(t.get("name").asString(), t.get("start_offset_ms").asLong(),
                    t.has("description") ? t.get("description").asString() : null,
                    t.has("parameters") ? toMap(t.get("parameters")) : null,
                    t.has("output") ? JSON.treeToValue(t.get("output"), Object.class) : null));
        }
        return out;
    }

    private static List<Event> eventsFrom(JsonNode sidecar) {
        List<Event> out = new ArrayList<>();
        for (JsonNode e : sidecar.path("events")) {
            List<String> tags = null;
            if (e.has("tags")) {
                tags = new ArrayList<>();
                for (JsonNode tag : e.get("tags")) {
                    tags.add(tag.asString());
                }
            }
            out.add(new Event(e.get("title").asString(), e.get("start_offset_ms").asLong(),
                    e.has("description") ? e.get("description").asString() : null,
                    e.has("end_offset_ms") ? e.get("end_offset_ms").asLong() : null,
                    tags, e.has("metadata") ? toMap(e.get("metadata")) : null));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return JSON.treeToValue(node, LinkedHashMap.class);
    }

    /** The bad-row table of sample-data/manifests/README.md: line → the field column. */
    private static Map<Long, Set<String>> readmeTable() throws IOException {
        Map<Long, Set<String>> lines = new HashMap<>();
        Pattern row = Pattern.compile("^\\| (\\d+) \\| [^|]* \\| `([^`]+)` \\|");
        for (String line : Files.readAllLines(MANIFESTS.resolve("README.md"))) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                lines.computeIfAbsent(Long.parseLong(m.group(1)), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return lines;
    }

    /** The line numbers after "Good rows:" in sample-data/manifests/README.md. */
    private static List<Long> readmeGoodLines() throws IOException {
        String goodRows = Files.readAllLines(MANIFESTS.resolve("README.md")).stream()
                .filter(l -> l.startsWith("Good rows:")).findFirst().orElseThrow();
        List<Long> lines = new ArrayList<>();
        Matcher m = Pattern.compile("(\\d+) \\(`nw-err-good-").matcher(goodRows);
        while (m.find()) {
            lines.add(Long.parseLong(m.group(1)));
        }
        assertThat(lines).hasSize(7);
        return lines;
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
