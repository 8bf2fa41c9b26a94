package dev.calleval.mapping;

import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.RecordingData;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.source.CallRecord;
import dev.calleval.source.InputLocation;
import dev.calleval.source.SourceRef;
import dev.calleval.transcript.SpeakerMapping;
import dev.calleval.transcript.TranscriptFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping rules on rows and in-memory contents: no file is read and none exists (rows resolve against a folder
 * that is not there), no S3. Each case states a rule of {@link CallMappingRules} and the words an operator sees.
 */
class CallMappingRulesTests {
    private static final Path NOWHERE = Path.of("/no-such-folder/calleval-rules-tests");
    private static final SourceRef SOURCE = new SourceRef("manifests/m.csv", 7);
    private static final String RECORDING_URL = "https://recordings.example.com/c-1.wav";
    private static final String METRIC = "3f0c2a57-5b1e-4c8e-9a7d-2e6b1f4c9d10";

    private static final MappingDefaults DEFAULTS = new MappingDefaults("rules-test", null, null, List.of("calleval", "orders"), List.of(),
            List.of(), null, null, null, null, Map.of("env", "test", "team", "defaults"), 50L << 20, null, SpeakerMapping.defaults());

    private final CallMappingRules rules = new CallMappingRules(DEFAULTS);

    // ------------------------------------------------------------------------------ fixtures

    /** A valid row: call_id c-1, agent 1234, a start time; {@code more} adds or (with a null value) removes columns. */
    private static CallRecord row(@Nullable String... more) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("call_id", "c-1");
        values.put("agent_id", "1234");
        values.put("start_time_utc", "2026-11-19T14:03:22Z");
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                values.remove(more[i]);
            } else {
                values.put(more[i], more[i + 1]);
            }
        }
        return new CallRecord(SOURCE, NOWHERE, values, null);
    }

    /** Contents with only a recording URL: something to evaluate. */
    private static CallContents withRecordingUrl() {
        return contents(null, link(RECORDING_URL), null, null, null);
    }

    private static CallContents contents(@Nullable Object sidecar, @Nullable Object recording, @Nullable Object transcript,
            @Nullable Object toolCalls, @Nullable Object events) {
        return new CallContents(part(sidecar), part(recording), part(transcript), part(toolCalls), part(events));
    }

    /** A part from a value, a {@link Problem} (failed) or null (absent). */
    @SuppressWarnings("unchecked")
    private static <T> CallContents.Part<T> part(@Nullable Object value) {
        if (value == null) {
            return CallContents.Part.absent();
        }
        return value instanceof Problem problem ? CallContents.Part.failed(problem) : CallContents.Part.of((T) value);
    }

    private static CallContents.Recording link(String url) {
        return new CallContents.Recording.Linked(url, null);
    }

    private static Sidecar sidecar(@Nullable List<Participant> participants, @Nullable List<ToolCall> toolCalls, @Nullable List<Event> events,
            @Nullable List<String> tags, @Nullable Map<String, Object> metadata) {
        return new Sidecar(participants, toolCalls, events, tags, metadata);
    }

    private static ToolCall tool(String name, long startMs) {
        return new ToolCall(name, startMs, null, null, null);
    }

    private static Event event(String title, long startMs, @Nullable Long endMs) {
        return new Event(title, startMs, null, endMs, null, null);
    }

    private static CallContents.Transcript.Converted converted(List<TranscriptEntry> entries, List<ToolCall> toolCalls) {
        return new CallContents.Transcript.Converted(entries, TranscriptFormat.BLUEJAY, toolCalls, "/calls/c-1.json");
    }

    private static final List<TranscriptEntry> TRANSCRIPT = List.of(
            new TranscriptEntry(0, 1200, ParticipantRole.AGENT, "Thanks for calling Northwind.", null),
            new TranscriptEntry(1500, 3000, ParticipantRole.USER, "Hi, where is my order?", null));

    private CallMappingRules.Valid valid(CallRecord row, CallContents contents) {
        CallMappingRules.Result result = rules.map(row, contents);
        assertThat(result).as("mapping of %s", row.values()).isInstanceOf(CallMappingRules.Valid.class);
        return (CallMappingRules.Valid) result;
    }

    private EvaluateRequest request(CallRecord row, CallContents contents) {
        return valid(row, contents).request();
    }

    private MappedCall.Rejected rejected(CallRecord row, CallContents contents) {
        CallMappingRules.Result result = rules.map(row, contents);
        assertThat(result).as("mapping of %s", row.values()).isInstanceOf(CallMappingRules.Invalid.class);
        return ((CallMappingRules.Invalid) result).rejection();
    }

    private static List<String> fields(MappedCall.Rejected rejected) {
        return rejected.problems().stream().map(Problem::field).toList();
    }

    // ------------------------------------------------------------------------------ fields from columns

    @Test
    void mapsTheColumnsOfAValidRowToTheirRequestFields() {
        CallMappingRules.Valid valid = valid(row("call_direction", "Inbound", "interface", "phone", "conversation_ended_by", "user",
                "multichannel", "yes", "label", "nightly", "custom_metrics", METRIC, "custom_metric_tags", "billing; refunds"), withRecordingUrl());
        EvaluateRequest request = valid.request();

        assertThat(valid.sourceId()).isEqualTo("c-1");
        assertThat(request.agentId()).isEqualTo("1234");
        assertThat(request.externalAgentId()).isNull();
        assertThat(request.startTimeUtc()).isEqualTo(Instant.parse("2026-11-19T14:03:22Z"));
        assertThat(request.callDirection()).isEqualTo(CallDirection.INBOUND);
        assertThat(request.callInterface()).isEqualTo(CallInterface.PHONE);
        assertThat(request.conversationEndedBy()).isEqualTo(ParticipantRole.USER);
        assertThat(request.multichannel()).isTrue();
        assertThat(request.label()).isEqualTo("nightly");
        assertThat(request.customMetrics()).containsExactly(METRIC);
        assertThat(request.customMetricTags()).containsExactly("billing", "refunds");
        assertThat(request.traceId()).as("the call_id, unless a trace_id column is mapped").isEqualTo("c-1");
        assertThat(request.recordingUrl()).isEqualTo(RECORDING_URL);
        assertThat(request.recordingBase64()).isNull();
    }

    @Test
    void aTraceIdColumnReplacesTheCallIdAsTraceIdButNotAsSourceId() {
        CallMappingRules.Valid valid = valid(row("trace_id", "otel-abc"), withRecordingUrl());

        assertThat(valid.request().traceId()).isEqualTo("otel-abc");
        assertThat(valid.sourceId()).isEqualTo("c-1");
        assertThat(valid.request().metadata()).containsEntry("calleval_source_id", "c-1");
    }

    @Test
    void startTimeWithAnOffsetIsConvertedToUtc() {
        assertThat(request(row("start_time_utc", "2026-11-19T09:15:00.250-05:00"), withRecordingUrl()).startTimeUtc())
                .isEqualTo(Instant.parse("2026-11-19T14:15:00.250Z"));
    }

    @Test
    void startTimeWithoutAnOffsetIsRejectedSayingToAddOne() {
        MappedCall.Rejected rejected = rejected(row("start_time_utc", "2026-11-19T14:03:22"), withRecordingUrl());

        assertThat(rejected.problems()).containsExactly(new Problem("start_time_utc",
                "'2026-11-19T14:03:22' is not an ISO-8601 time with an offset (it has no offset: add Z for UTC or e.g. -05:00)"));
    }

    @Test
    void startTimeThatIsNoTimeAndAMissingOneAreRejectedWithAnExample() {
        assertThat(rejected(row("start_time_utc", "19/11/2026 14:03"), withRecordingUrl()).problems()).containsExactly(new Problem(
                "start_time_utc", "'19/11/2026 14:03' is not an ISO-8601 time with an offset; write e.g. 2026-11-19T14:03:22Z"));
        assertThat(rejected(row("start_time_utc", null), withRecordingUrl()).problems()).containsExactly(new Problem("start_time_utc",
                "start_time_utc is empty; give the call start as ISO-8601, e.g. 2026-11-19T14:03:22Z"));
    }

    @Test
    void participantsComeFromTheColumnsWithWhoSpokeFirst() {
        EvaluateRequest request = request(row("agent_name", "Nora", "agent_phone", "+15550100", "customer_name", "Ada",
                "customer_phone", "+15550199", "agent_spoke_first", "N"), withRecordingUrl());

        assertThat(request.participants()).containsExactly(
                new Participant(ParticipantRole.AGENT, false, "Nora", "+15550100"),
                new Participant(ParticipantRole.USER, true, "Ada", "+15550199"));
    }

    @Test
    void withoutAgentSpokeFirstNeitherParticipantSaysWhoSpokeFirst() {
        assertThat(request(row(), withRecordingUrl()).participants()).containsExactly(
                new Participant(ParticipantRole.AGENT, null, null, null),
                new Participant(ParticipantRole.USER, null, null, null));
    }

    @Test
    void aBooleanColumnThatIsNeitherTrueNorFalseIsRejected() {
        MappedCall.Rejected rejected = rejected(row("agent_spoke_first", "maybe", "multichannel", "2"), withRecordingUrl());

        assertThat(rejected.problems()).containsExactly(
                new Problem("agent_spoke_first", "agent_spoke_first must be true or false, got 'maybe'"),
                new Problem("multichannel", "multichannel must be true or false, got '2'"));
    }

    @Test
    void sidecarParticipantsReplaceTheColumnsWhichAreThenNotChecked() {
        List<Participant> fromSidecar = List.of(new Participant(ParticipantRole.USER, true, "Ada", null),
                new Participant(ParticipantRole.AGENT, false, "Nora", null));
        EvaluateRequest request = request(row("agent_name", "ignored", "agent_spoke_first", "maybe"),
                contents(sidecar(fromSidecar, null, null, null, null), link(RECORDING_URL), null, null, null));

        assertThat(request.participants()).isEqualTo(fromSidecar);
    }

    @Test
    void anUnknownEnumValueIsRejectedListingTheAllowedOnes() {
        MappedCall.Rejected rejected = rejected(row("call_direction", "sideways", "conversation_ended_by", "nobody"), withRecordingUrl());

        assertThat(rejected.problems()).containsExactly(
                new Problem("call_direction", "unknown call_direction 'sideways'; use one of [INBOUND, OUTBOUND]"),
                new Problem("conversation_ended_by", "unknown conversation_ended_by 'nobody'; use one of [AGENT, USER]"));
    }

    // ------------------------------------------------------------------------------ agent and ids

    @Test
    void theJobsDefaultAgentIsUsedOnlyWhenTheRowNamesNone() {
        CallMappingRules external = new CallMappingRules(new MappingDefaults("rules-test", null, "ext-7", List.of(), List.of(), List.of(),
                null, null, null, null, Map.of(), 1024, null, SpeakerMapping.defaults()));

        EvaluateRequest byDefault = ((CallMappingRules.Valid) external.map(row("agent_id", null), withRecordingUrl())).request();
        assertThat(byDefault.agentId()).isNull();
        assertThat(byDefault.externalAgentId()).isEqualTo("ext-7");
        EvaluateRequest ownAgent = ((CallMappingRules.Valid) external.map(row(), withRecordingUrl())).request();
        assertThat(ownAgent.agentId()).isEqualTo("1234");
        assertThat(ownAgent.externalAgentId()).isNull();
    }

    @Test
    void aRowWithNoAgentOrBothAgentIdsIsRejected() {
        assertThat(rejected(row("agent_id", null), withRecordingUrl()).problems()).containsExactly(
                new Problem("agent_id", "no agent: fill the agent_id column or set defaults.agent-id in the job file"));
        assertThat(rejected(row("external_agent_id", "ext-7"), withRecordingUrl()).problems()).containsExactly(
                new Problem("agent_id", "both agent_id and external_agent_id are set; use one"));
    }

    @Test
    void agentIdsLongerThanTheLedgerKeepsAreRejected() {
        assertThat(valid(row("agent_id", "a".repeat(200)), withRecordingUrl()).request().agentId()).hasSize(200);
        assertThat(rejected(row("agent_id", "a".repeat(201)), withRecordingUrl()).problems()).containsExactly(
                new Problem("agent_id", "the agent id is longer than the 200 characters the ledger keeps"));
        assertThat(rejected(row("agent_id", null, "external_agent_id", "e".repeat(197)), withRecordingUrl()).problems()).containsExactly(
                new Problem("external_agent_id", "the agent id is longer than the 200 characters the ledger keeps"));
    }

    @Test
    void aMissingOrOverlongCallIdIsRejectedWithoutASourceId() {
        MappedCall.Rejected missing = rejected(row("call_id", null), withRecordingUrl());
        assertThat(missing.sourceId()).isNull();
        assertThat(missing.problems()).containsExactly(
                new Problem("call_id", "call_id is empty; every row needs the caller's stable id for the call"));

        MappedCall.Rejected overlong = rejected(row("call_id", "c".repeat(1001)), withRecordingUrl());
        assertThat(overlong.sourceId()).isNull();
        assertThat(overlong.problems()).containsExactly(new Problem("call_id", "call_id is 1001 characters, over the 1000 the ledger keeps"));
        assertThat(overlong.source()).isEqualTo(SOURCE);
    }

    @Test
    void aCellWithAControlCharacterOrUndecodableBytesIsRejectedNamingTheColumn() {
        assertThat(rejected(row("customer_name", "Ada\u0007Lovelace"), withRecordingUrl()).problems()).containsExactly(new Problem("customer_name",
                "customer_name holds the control character U+0007 at position 4, the mark of a broken export: fix the export "
                        + "(a cell may hold tabs and line breaks, no other control character)"));
        assertThat(rejected(row("label", "caf\uFFFD"), withRecordingUrl()).problems()).containsExactly(new Problem("label",
                "label is not valid UTF-8 (the undecodable bytes are shown as \uFFFD); save the manifest as UTF-8"));
        assertThat(valid(row("customer_name", "Ada\tLovelace\r\n"), withRecordingUrl()).request().participants().get(1).name())
                .as("tabs and line breaks are allowed").isEqualTo("Ada\tLovelace\r\n");
    }

    @Test
    void aMalformedRowIsRejectedWithItsOwnProblemOnlyAndNothingIsReadForIt() {
        CallRecord malformed = new CallRecord(SOURCE, NOWHERE, Map.of("call_id", "c-9", "sidecar", "missing.json", "start_time_utc", "never"),
                "line 7 has 14 fields, the header 12");

        assertThat(new CallInputs(DEFAULTS, null).read(malformed)).isEqualTo(CallContents.NONE);
        MappedCall.Rejected rejected = rejected(malformed, CallContents.NONE);
        assertThat(rejected.sourceId()).isEqualTo("c-9");
        assertThat(rejected.problems()).containsExactly(new Problem("row", "line 7 has 14 fields, the header 12"));
    }

    // ------------------------------------------------------------------------------ tags, metadata

    @Test
    void tagsAreTheJobsThenTheRowsThenTheSidecarsWithoutRepeats() {
        EvaluateRequest request = request(row("tags", " vip ;; orders;late "),
                contents(sidecar(null, null, null, List.of("late", "sidecar"), null), link(RECORDING_URL), null, null, null));

        assertThat(request.tags()).containsExactly("calleval", "orders", "vip", "late", "sidecar");
    }

    @Test
    void metadataColumnsOverrideTheSidecarWhichOverridesTheJobButNotTheCallevalKeys() {
        EvaluateRequest request = request(row("metadata.team", "column", "metadata.calleval_job", "forged", "metadata.", "no key"),
                contents(sidecar(null, null, null, null, Map.of("team", "sidecar", "queue", "billing")), link(RECORDING_URL), null, null, null));

        assertThat(request.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "test", "team", "column", "queue", "billing",
                "calleval_job", "rules-test", "calleval_source_id", "c-1"));
    }

    // ------------------------------------------------------------------------------ recordings, transcripts

    @Test
    void aPresignedRecordingUrlIsSentWithTheObjectAndETagAsItsIdentity() {
        CallMappingRules.Valid presigned = valid(row(), contents(null,
                new CallContents.Recording.Linked("https://bucket.s3.amazonaws.com/c-1.wav?X-Amz-Signature=abc", "s3://bucket/c-1.wav#etag-1"),
                null, null, null));
        assertThat(presigned.request().recordingUrl()).isEqualTo("https://bucket.s3.amazonaws.com/c-1.wav?X-Amz-Signature=abc");
        assertThat(presigned.recordingIdentity()).isEqualTo("s3://bucket/c-1.wav#etag-1");

        assertThat(valid(row(), withRecordingUrl()).recordingIdentity()).as("an http URL stands for itself").isNull();
    }

    @Test
    void anInlineRecordingIsSentAsRecordingBase64() {
        RecordingData data = new RecordingData(NOWHERE.resolve("c-1.wav"), "audio/wav", 4096);
        EvaluateRequest request = request(row(), contents(null, new CallContents.Recording.Inline(data), null, null, null));

        assertThat(request.recordingBase64()).isSameAs(data);
        assertThat(request.recordingUrl()).isNull();
    }

    @Test
    void aConvertedTranscriptIsSentInlineWithItsFormatAndFileForTheReport() {
        CallMappingRules.Valid valid = valid(row(), contents(null, null, converted(TRANSCRIPT, List.of()), null, null));

        assertThat(valid.request().transcript()).isEqualTo(TRANSCRIPT);
        assertThat(valid.request().transcriptUrl()).isNull();
        assertThat(valid.transcriptFormat()).isEqualTo(TranscriptFormat.BLUEJAY);
        assertThat(valid.transcriptRef()).isEqualTo("/calls/c-1.json");
    }

    @Test
    void aTranscriptUrlIsSentAsTranscriptUrlAndLinkedFromTheReport() {
        CallMappingRules.Valid valid = valid(row(), contents(null, null, new CallContents.Transcript.Linked("https://t.example.com/c-1.json"), null, null));

        assertThat(valid.request().transcriptUrl()).isEqualTo("https://t.example.com/c-1.json");
        assertThat(valid.request().transcript()).isNull();
        assertThat(valid.transcriptRef()).isEqualTo("https://t.example.com/c-1.json");
        assertThat(valid.transcriptFormat()).isNull();
    }

    // ------------------------------------------------------------------------------ tool calls, events

    @Test
    void theToolCallsColumnWinsOverTheSidecarWhoseOwnWinOverTheTranscriptFiles() {
        List<ToolCall> fromFile = List.of(tool("lookup_order", 2000));
        List<ToolCall> fromSidecar = List.of(tool("refund", 2500));
        List<ToolCall> fromColumn = List.of(tool("escalate", 2700));
        Sidecar sidecar = sidecar(null, fromSidecar, null, null, null);

        assertThat(request(row(), contents(sidecar, null, converted(TRANSCRIPT, fromFile), fromColumn, null)).toolCalls()).isEqualTo(fromColumn);
        assertThat(request(row(), contents(sidecar, null, converted(TRANSCRIPT, fromFile), null, null)).toolCalls()).isEqualTo(fromSidecar);
        assertThat(request(row(), contents(null, null, converted(TRANSCRIPT, fromFile), null, null)).toolCalls()).isEqualTo(fromFile);
        assertThat(request(row(), contents(sidecar(null, List.of(), null, null, null), null, converted(TRANSCRIPT, fromFile), null, null))
                .toolCalls()).as("an empty list of the row's own gives way to the file's").isEqualTo(fromFile);
        assertThat(request(row(), contents(null, null, converted(TRANSCRIPT, List.of()), null, null)).toolCalls()).isNull();
    }

    @Test
    void theEventsColumnWinsOverTheSidecar() {
        List<Event> fromSidecar = List.of(event("hold", 1000, 4000L));
        List<Event> fromColumn = List.of(event("transfer", 5000, null));
        Sidecar sidecar = sidecar(null, null, fromSidecar, null, null);

        assertThat(request(row(), contents(sidecar, link(RECORDING_URL), null, null, fromColumn)).events()).isEqualTo(fromColumn);
        assertThat(request(row(), contents(sidecar, link(RECORDING_URL), null, null, null)).events()).isEqualTo(fromSidecar);
        assertThat(request(row(), withRecordingUrl()).events()).isNull();
    }

    // ------------------------------------------------------------------------------ problems and their order

    @Test
    void everyProblemIsListedInTheDocumentedOrder() {
        CallRecord row = row("call_id", null, "start_time_utc", "soon", "agent_spoke_first", "maybe", "call_direction", "up",
                "interface", "pigeon", "conversation_ended_by", "both", "multichannel", "often");
        CallContents failed = contents(new Problem("sidecar", "file not found: s.json"), new Problem("recording", "file not found: r.wav"),
                new Problem("transcript[2].end_offset_ms", "end before start"), new Problem("tool_calls", "file not found: t.json"),
                new Problem("events[0].title", "title is required"));

        MappedCall.Rejected rejected = rejected(row, failed);

        assertThat(fields(rejected)).containsExactly("call_id", "start_time_utc", "sidecar", "agent_spoke_first", "recording",
                "transcript[2].end_offset_ms", "tool_calls", "events[0].title", "call_direction", "interface", "conversation_ended_by",
                "multichannel");
        assertThat(rejected.fields()).isEqualTo(String.join(";", fields(rejected)));
    }

    @Test
    void aFileThatFailedRejectsTheRowWithItsProblemAsItIs() {
        Problem problem = new Problem("transcript_format", "unknown transcript format 'word'; known: bluejay, ...");

        assertThat(rejected(row(), contents(null, link(RECORDING_URL), problem, null, null)).problems()).containsExactly(problem);
    }

    @Test
    void theApisConstraintsAreCheckedOnlyWhenTheRowHasNoOtherProblem() {
        CallContents nothing = CallContents.NONE;

        assertThat(rejected(row(), nothing).problems()).containsExactly(new Problem("recording",
                "nothing to evaluate: the call has no recording, no transcript and no transcript URL"));
        assertThat(rejected(row("start_time_utc", "soon"), nothing).problems()).extracting(Problem::field).containsExactly("start_time_utc");
    }

    @Test
    void aRecordingUrlTheApiWouldRefuseIsRejected() {
        String tooLong = "https://recordings.example.com/" + "a".repeat(2083);
        assertThat(rejected(row(), contents(null, link(tooLong), null, null, null)).problems()).containsExactly(
                new Problem("recording", "URL is " + tooLong.length() + " characters; the API accepts at most 2083"));
        assertThat(rejected(row(), contents(null, link("http:///c-1.wav"), null, null, null)).problems()).containsExactly(
                new Problem("recording", "'http:///c-1.wav' is not an absolute http(s) URL"));
    }

    @Test
    void customMetricsMustBeUuids() {
        assertThat(rejected(row("custom_metrics", METRIC + ";accuracy"), withRecordingUrl()).problems()).containsExactly(new Problem("custom_metrics",
                "'accuracy' is not a UUID; custom metric ids look like 3f6c1a52-8d0e-4b7a-9c1d-2e5f7a9b0c13"));
    }

    @Test
    void sidecarParticipantsMustBeOneAgentAndOneUser() {
        List<Participant> three = List.of(new Participant(ParticipantRole.AGENT, null, "Nora", null),
                new Participant(ParticipantRole.USER, null, null, null), new Participant(ParticipantRole.USER, null, "Bob", null));
        assertThat(rejected(row(), contents(sidecar(three, null, null, null, null), link(RECORDING_URL), null, null, null)).problems())
                .containsExactly(new Problem("participants", "exactly 2 participants are required (one AGENT, one USER), found 3: "
                        + "AGENT Nora, USER, USER Bob"));

        List<Participant> twoAgents = List.of(new Participant(ParticipantRole.AGENT, null, null, null),
                new Participant(ParticipantRole.AGENT, null, null, null));
        assertThat(rejected(row(), contents(sidecar(twoAgents, null, null, null, null), link(RECORDING_URL), null, null, null)).problems())
                .containsExactly(new Problem("participants", "one participant must be AGENT and the other USER, found both AGENT"));
    }

    @Test
    void offsetsOfTranscriptToolCallsAndEventsAreChecked() {
        List<TranscriptEntry> backwards = List.of(new TranscriptEntry(3000, 2000, ParticipantRole.AGENT, "Hello.", null));
        CallContents contents = contents(null, null, converted(backwards, List.of()), List.of(tool("refund", -5), tool(" ", 0)),
                List.of(event("hold", 4000, 1000L)));

        assertThat(rejected(row(), contents).problems()).containsExactly(
                new Problem("transcript[0].end_offset_ms", "end 2000 ms is before start 3000 ms"),
                new Problem("tool_calls[0].start_offset_ms", "must be >= 0, got -5"),
                new Problem("tool_calls[1].name", "name is required"),
                new Problem("events[0].end_offset_ms", "end 1000 ms is before start 4000 ms"));
    }

    // ------------------------------------------------------------------------------ what CallInputs does without a file

    @Test
    void urlsAreKeptAsWrittenWithoutReadingAnything() {
        CallContents read = new CallInputs(DEFAULTS, null).read(row("recording", "HTTPS://rec.example.com/c-1.wav",
                "transcript", "http://t.example.com/c-1.json"));

        assertThat(read.recording()).isEqualTo(CallContents.Part.of(new CallContents.Recording.Linked("HTTPS://rec.example.com/c-1.wav", null)));
        assertThat(read.transcript()).isEqualTo(CallContents.Part.of(new CallContents.Transcript.Linked("http://t.example.com/c-1.json")));
        assertThat(read.sidecar()).isEqualTo(CallContents.Part.absent());
        assertThat(read.toolCalls()).isEqualTo(CallContents.Part.absent());
        assertThat(read.events()).isEqualTo(CallContents.Part.absent());
    }

    @Test
    void s3FilesWithoutS3AccessAreAProblemOnTheirColumn() {
        CallContents read = new CallInputs(DEFAULTS, null).read(row("recording", "s3://calls/c-1.wav", "sidecar", "s3://calls/c-1.json"));

        assertThat(read.recording().problem()).isEqualTo(new Problem("recording",
                "s3://calls/c-1.wav is in S3, which this mapping cannot read (no S3 access configured)"));
        assertThat(read.sidecar().problem()).isEqualTo(new Problem("sidecar",
                "s3://calls/c-1.json is in S3, which this mapping cannot read (no S3 access configured)"));
    }

    @Test
    void anUnknownTranscriptFormatIsAProblemOnTheFormatColumn() {
        CallRecord row = new CallRecord(SOURCE, new InputLocation.Local(NOWHERE), Map.of("call_id", "c-1", "transcript", "c-1.txt",
                "transcript_format", "morse"), null);

        Problem problem = new CallInputs(DEFAULTS, null).read(row).transcript().problem();
        assertThat(problem).isNotNull();
        assertThat(problem.field()).isEqualTo("transcript_format");
        assertThat(problem.reason()).startsWith("unknown transcript format 'morse'; known: ");
    }

    // ------------------------------------------------------------------------------ fingerprint

    @Test
    void theFingerprintDoesNotDependOnTheOrderOfMetadataKeys() {
        EvaluateRequest abc = request(row("metadata.a", "1", "metadata.b", "2", "metadata.c", "3"), withRecordingUrl());
        EvaluateRequest cba = request(row("metadata.c", "3", "metadata.b", "2", "metadata.a", "1"), withRecordingUrl());
        assertThat(abc.metadata()).isEqualTo(cba.metadata());
        assertThat(Fingerprint.of(abc)).as("same calls, metadata columns in another order").isEqualTo(Fingerprint.of(cba))
                .hasSize(64);
        EvaluateRequest changed = request(row("metadata.a", "1", "metadata.b", "2", "metadata.c", "4"), withRecordingUrl());
        assertThat(Fingerprint.of(changed)).isNotEqualTo(Fingerprint.of(abc));
    }
}
