package dev.calleval.enrich;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.mapping.Problem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationLogMapperTests {
    private static final Path SAMPLE = Path.of("sample-data/simulation-logs");

    private final SimulationLogMapper mapper = new SimulationLogMapper();

    private static SimulationLog log(String fileName, String json) {
        String id = fileName.substring(0, fileName.length() - ".json".length());
        return new SimulationLog(1, "logs/" + fileName, 0, id, "the file name", null,
                () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static SimulationLog sample(Path file) {
        String name = file.getFileName().toString();
        return new SimulationLog(1, SimulationLogSource.shown(file), 0, name.substring(0, name.length() - 5), "the file name", null,
                () -> Files.newInputStream(file));
    }

    private UpdateSimulationResultRequest accepted(SimulationLog log) {
        MappedUpdate mapped = mapper.process(log);
        assertThat(mapped).as(mapped instanceof MappedUpdate.Rejected r ? r.message() : "accepted").isInstanceOf(MappedUpdate.Accepted.class);
        return ((MappedUpdate.Accepted) mapped).request();
    }

    private MappedUpdate.Rejected rejected(SimulationLog log) {
        MappedUpdate mapped = mapper.process(log);
        assertThat(mapped).isInstanceOf(MappedUpdate.Rejected.class);
        return (MappedUpdate.Rejected) mapped;
    }

    private static String toolCallAt(String time) {
        return """
                {"call_started_at": "2026-11-20T09:40:10.500Z", "tool_calls": [{"name": "lookup", %s}]}""".formatted(time);
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource(delimiter = '|', value = {
            "\"start_offset_ms\": 15250                          | 15250",
            "\"start_offset_ms\": 0                              | 0",
            "\"start_offset_s\": 15.25                           | 15250",
            "\"start_offset_s\": 83.2                            | 83200",
            "\"start_offset_s\": 0.001                           | 1",
            "\"start_offset_s\": 1.0005                          | 1001",
            "\"start_offset_s\": 1.0004                          | 1000",
            "\"start_offset_s\": 12                              | 12000",
            "\"seconds_from_start\": 0.29                        | 290",
            "\"timestamp\": \"2026-11-20T09:40:25.750Z\"         | 15250",
            "\"timestamp\": \"2026-11-20T10:40:25.750+01:00\"    | 15250",
            "\"start_time\": \"2026-11-20T04:40:10.500-05:00\"   | 0",
            "\"timestamp\": \"2026-11-20T09:40:10.5004999Z\"     | 0",
            "\"timestamp\": \"2026-11-20T09:40:10.5005Z\"        | 1",
            "\"timestamp\": 1795167622000                        | 11500",
            "\"start_time\": 1795167610500                       | 0"})
    void convertsEachTimeFormToExactMilliseconds(String time, long expectedMs) {
        UpdateSimulationResultRequest request = accepted(log("716977.json", toolCallAt(time)));

        assertThat(request.toolCalls()).singleElement().satisfies(call -> assertThat(call.startOffsetMs()).isEqualTo(expectedMs));
    }

    @Test
    void convertsEndTimesOfEventsAndTranscriptEntries() {
        UpdateSimulationResultRequest request = accepted(log("716977.json", """
                {"call_started_at": "2026-11-20T09:40:10.500Z",
                 "events": [
                   {"title": "Hold", "start_offset_s": 12.3, "end_offset_s": 15.875},
                   {"title": "Verified", "start_offset_ms": 100, "end_seconds_from_start": 0.25},
                   {"title": "Transfer", "timestamp": "2026-11-20T09:40:11Z", "end_timestamp": 1795167612000},
                   {"title": "Note", "start_offset_ms": 5}],
                 "recorded_transcript": [
                   {"speaker": "agent", "utterance": "Hello", "start_time": "2026-11-20T09:40:11.000Z", "end_time": "2026-11-20T09:40:13.250Z"},
                   {"speaker": "USER", "utterance": "Hi", "start_offset_ms": 3600, "end_offset_ms": 6300, "filler_utterance": false}]}"""));

        assertThat(request.events()).extracting(e -> e.startOffsetMs(), e -> e.endOffsetMs())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(12300L, 15875L), org.assertj.core.groups.Tuple.tuple(100L, 250L),
                        org.assertj.core.groups.Tuple.tuple(500L, 1500L), org.assertj.core.groups.Tuple.tuple(5L, null));
        assertThat(request.recordedTranscript()).extracting(t -> t.speaker(), t -> t.startOffsetMs(), t -> t.endOffsetMs())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ParticipantRole.AGENT, 500L, 2750L),
                        org.assertj.core.groups.Tuple.tuple(ParticipantRole.USER, 3600L, 6300L));
    }

    @Test
    void sampleLogsBecomeTheBodiesTheReadmeDescribes() {
        UpdateSimulationResultRequest seconds = accepted(sample(SAMPLE.resolve("716977.json")));
        assertThat(seconds.simulationResultId()).isEqualTo("716977");
        assertThat(seconds.toolCalls()).extracting(t -> t.startOffsetMs()).containsExactly(12480L, 31200L);
        assertThat(seconds.events()).singleElement().satisfies(e -> {
            assertThat(e.startOffsetMs()).isEqualTo(12300);
            assertThat(e.endOffsetMs()).isEqualTo(15875);
        });
        assertThat(seconds.recordedTranscript()).extracting(t -> t.startOffsetMs()).containsExactly(420L, 3900L, 7050L, 16000L, 22100L);
        assertThat(seconds.recordedTranscript().get(2).fillerUtterance()).isTrue();

        UpdateSimulationResultRequest absolute = accepted(sample(SAMPLE.resolve("716978.json")));
        assertThat(absolute.toolCalls()).extracting(t -> t.startOffsetMs()).containsExactly(15250L, 30625L);
        assertThat(absolute.events()).extracting(e -> e.startOffsetMs()).containsExactly(11500L, 14400L);
        assertThat(absolute.events().get(1).endOffsetMs()).isEqualTo(18900L);
        assertThat(absolute.recordedTranscript()).extracting(t -> t.endOffsetMs()).containsExactly(2750L, 6300L);

        UpdateSimulationResultRequest millis = accepted(sample(SAMPLE.resolve("716979.json")));
        assertThat(millis.toolCalls()).extracting(t -> t.startOffsetMs()).containsExactly(9840L, 27310L);
        assertThat(millis.traceIds()).containsExactly("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(millis.toolCalls().get(1).parameters()).containsEntry("amount", new java.math.BigDecimal("42.5"));
        assertThat(millis.metadata()).containsEntry("scenario", "refund-request");
    }

    @Test
    void brokenSampleIsRejectedNamingFileAndEveryField() {
        MappedUpdate.Rejected r = rejected(sample(SAMPLE.resolve("broken/716980.json")));

        assertThat(r.resultId()).isEqualTo("716980");
        assertThat(r.message()).startsWith("sample-data/simulation-logs/broken/716980.json: tool_calls[1].start_offset_ms: must be >= 0, got -120");
        assertThat(r.fields()).isEqualTo("tool_calls[1].start_offset_ms;recorded_transcript[0].speaker");
        assertThat(r.reason()).contains("recorded_transcript[0].speaker: must be AGENT or USER, got 'BOT'");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"tool_calls\": [{\"start_offset_ms\": 1}]}                                      | tool_calls[0].name: name is required",
            "{\"tool_calls\": [{\"name\": \" \", \"start_offset_ms\": 1}]}                     | tool_calls[0].name: name is blank",
            "{\"tool_calls\": [{\"name\": \"a\"}]}                                             | tool_calls[0].start_offset_ms: a start time is required",
            "{\"tool_calls\": [{\"name\": \"a\", \"start_offset_ms\": 1.5}]}                   | tool_calls[0].start_offset_ms: must be an integer number of ms from call start, got 1.5 (for seconds use start_offset_s)",
            "{\"tool_calls\": [{\"name\": \"a\", \"start_offset_ms\": \"10\"}]}                 | tool_calls[0].start_offset_ms: must be an integer number of ms",
            "{\"tool_calls\": [{\"name\": \"a\", \"start_offset_s\": -0.5}]}                   | tool_calls[0].start_offset_s: must be >= 0, got -0.5",
            "{\"tool_calls\": [{\"name\": \"a\", \"start_offset_ms\": 1, \"start_offset_s\": 1}]} | tool_calls[0].start_offset_s: give one start time, not both start_offset_ms and start_offset_s",
            "{\"tool_calls\": [{\"name\": \"a\", \"timestamp\": \"2026-11-20T09:40:11Z\"}]}     | tool_calls[0].timestamp: timestamp is an absolute time: the log needs call_started_at",
            "{\"call_started_at\": \"2026-11-20T09:40:11Z\", \"tool_calls\": [{\"name\": \"a\", \"timestamp\": \"2026-11-20T09:40:10Z\"}]} | tool_calls[0].timestamp: must be >= 0 ms from call start: 2026-11-20T09:40:10Z is before call_started_at 2026-11-20T09:40:11Z",
            "{\"call_started_at\": \"2026-11-20T09:40:11Z\", \"tool_calls\": [{\"name\": \"a\", \"timestamp\": \"2026-11-20T09:40:12\"}]} | tool_calls[0].timestamp: '2026-11-20T09:40:12' is not an ISO-8601 time with an offset (it has no offset",
            "{\"call_started_at\": \"yesterday\", \"tags\": [\"x\"]}                            | call_started_at: 'yesterday' is not an ISO-8601 time with an offset",
            "{\"events\": [{\"title\": \"Hold\", \"start_offset_ms\": 500, \"end_offset_ms\": 400}]} | events[0].end_offset_ms: the end (400 ms) is before the start (500 ms)",
            "{\"events\": [{\"start_offset_ms\": 5}]}                                           | events[0].title: title is required",
            "{\"recorded_transcript\": [{\"speaker\": \"BOT\", \"utterance\": \"x\", \"start_offset_ms\": 0, \"end_offset_ms\": 1}]} | recorded_transcript[0].speaker: must be AGENT or USER, got 'BOT'",
            "{\"recorded_transcript\": [{\"speaker\": \"USER\", \"utterance\": \"x\", \"start_offset_ms\": 0}]} | recorded_transcript[0].end_offset_ms: an end time is required",
            "{\"tool_calls\": {\"name\": \"a\"}}                                                 | tool_calls: must be a JSON array, got object",
            "{\"tool_calls\": [7]}                                                               | tool_calls[0]: expected a JSON object, got number",
            "{\"trace_ids\": [\"abc\"]}                                                          | trace_ids[0]: must be an OpenTelemetry trace id (32 hex digits), got 'abc'",
            "{\"metadata\": [1]}                                                                 | metadata: must be a JSON object, got array",
            "{\"tags\": [\"a\", 2]}                                                              | tags[1]: must be a string, got 2",
            "{}                                                                                  | (file): nothing to post",
            "[1, 2]                                                                              | json: expected a JSON object",
            "{\"tags\": [\"a\"],                                                                 | json: not valid JSON at line 1",
            "{\"tags\": [\"a\"], \"tags\": [\"b\"]}                                              | json: not valid JSON at line 1, column 23: Duplicate Object property",
            "{\"simulation_result_id\": \"abc\", \"tags\": [\"a\"]}                              | simulation_result_id: must be a numeric string like \"716977\", got \"abc\"",
            "{\"simulation_result_id\": \"716990\", \"tags\": [\"a\"]}                           | simulation_result_id: the file says '716990' but the file name says '716977'; they must agree"})
    void rejectsNamingTheFileAndTheField(String json, String expected) {
        MappedUpdate.Rejected r = rejected(log("716977.json", json));

        assertThat(r.message()).startsWith("logs/716977.json: " + expected);
    }

    @Test
    void reportsEveryBadEntryNotOnlyTheFirst() {
        MappedUpdate.Rejected r = rejected(log("716977.json", """
                {"tool_calls": [{"name": "a", "start_offset_ms": -1}, {"name": "b", "start_offset_ms": 5}, {"start_offset_ms": 3}],
                 "events": [{"title": "x", "start_offset_ms": 9, "end_offset_ms": 1}]}"""));

        assertThat(r.problems()).extracting(Problem::field)
                .containsExactly("tool_calls[0].start_offset_ms", "tool_calls[2].name", "events[0].end_offset_ms");
    }

    @Test
    void aFileNameThatIsNotANumericIdIsRejected() {
        MappedUpdate.Rejected r = rejected(log("notes.json", "{\"tags\": [\"a\"]}"));

        assertThat(r.message()).isEqualTo("logs/notes.json: simulation_result_id: 'notes' (from the file name) is not a numeric "
                + "simulation result id; name each log <simulation_result_id>.json, e.g. 716977.json");
        assertThat(r.resultId()).isNull();
    }

    @Test
    void aManifestRowWithoutIdTakesTheIdFromTheFileAndANumberIsSentAsAString() {
        SimulationLog fromManifest = new SimulationLog(1, "logs/a.json", 2, null, "the manifest", null,
                () -> new ByteArrayInputStream("{\"simulation_result_id\": 716977, \"tags\": [\"a\"]}".getBytes(StandardCharsets.UTF_8)));

        assertThat(accepted(fromManifest).simulationResultId()).isEqualTo("716977");
    }

    @Test
    void aLogWithoutAnyIdIsRejected() {
        SimulationLog fromManifest = new SimulationLog(1, "logs/a.json", 2, null, "the manifest", null,
                () -> new ByteArrayInputStream("{\"tags\": [\"a\"]}".getBytes(StandardCharsets.UTF_8)));

        assertThat(rejected(fromManifest).message()).isEqualTo("logs/a.json: simulation_result_id: no simulation result id: "
                + "give it in the manifest or as simulation_result_id in the file");
    }

    @Test
    void aMissingFileAndAListingProblemAreRejectedWithoutReading() {
        SimulationLog missing = new SimulationLog(1, "logs/716977.json", 3, "716977", "the manifest", null, () -> {
            throw new NoSuchFileException("logs/716977.json");
        });
        assertThat(rejected(missing).message()).isEqualTo("logs/716977.json: log: file not found");

        SimulationLog noPath = new SimulationLog(2, "m.csv:4", 4, "716978", "the manifest", new SimulationLog.Problem("log", "log is empty"), () -> {
            throw new AssertionError("not read");
        });
        assertThat(rejected(noPath).message()).isEqualTo("m.csv:4: log: log is empty");
    }

    @Test
    void theFingerprintIgnoresKeyOrderAndWhitespaceButNotContent() {
        String a = "{\"metadata\": {\"a\": 1, \"b\": 2}, \"tool_calls\": [{\"name\": \"x\", \"start_offset_s\": 1.5}]}";
        String b = "{ \"tool_calls\": [ {\"start_offset_ms\": 1500, \"name\": \"x\"} ],\n \"metadata\": {\"b\": 2, \"a\": 1} }";
        String c = "{\"metadata\": {\"a\": 1, \"b\": 3}, \"tool_calls\": [{\"name\": \"x\", \"start_offset_s\": 1.5}]}";

        String fa = ((MappedUpdate.Accepted) mapper.process(log("716977.json", a))).fingerprint();
        assertThat(((MappedUpdate.Accepted) mapper.process(log("716977.json", b))).fingerprint()).isEqualTo(fa);
        assertThat(((MappedUpdate.Accepted) mapper.process(log("716977.json", c))).fingerprint()).isNotEqualTo(fa).hasSize(64);
    }

    @Test
    void unknownKeysAreIgnored() {
        UpdateSimulationResultRequest request = accepted(log("716977.json",
                "{\"agent_version\": \"x\", \"tool_calls\": [{\"name\": \"a\", \"start_offset_ms\": 1, \"latency_ms\": 20}]}"));

        assertThat(request.toolCalls()).hasSize(1);
        assertThat(request.metadata()).isNull();
    }
}
