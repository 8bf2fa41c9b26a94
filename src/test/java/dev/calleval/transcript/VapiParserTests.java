package dev.calleval.transcript;

import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.calleval.transcript.AgentPlatformSamples.FORMATS;
import static dev.calleval.transcript.AgentPlatformSamples.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class VapiParserTests {
    private static final String CALL = "nw-2026-11-19-0010";
    private static final String SAMPLE = "transcripts/formats/vapi/" + CALL + ".json";
    private final TranscriptConverter converter = new TranscriptConverter();
    private final VapiParser parser = new VapiParser();

    @Test
    void convertsTheEndOfCallReportSampleToTheCallsBluejayTranscriptAndToolCall() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(AgentPlatformSamples.SAMPLES.resolve(SAMPLE), SAMPLE, null,
                SpeakerMapping.defaults(), AgentPlatformSamples.wavMs(CALL));

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.VAPI);
        assertThat(conversion.transcript()).containsExactlyElementsOf(AgentPlatformSamples.bluejayTranscript(CALL));
        // secondsFromStart has ms resolution, so the tool call lands exactly where the sidecar has it (15249 ms)
        assertThat(conversion.toolCalls()).containsExactlyElementsOf(AgentPlatformSamples.sidecarToolCalls(CALL));
        assertThat(conversion.toolCalls().get(0).startOffsetMs()).isEqualTo(15249);
    }

    @Test
    void takesTheCallLengthFromTheReport() throws Exception {
        ParsedTranscript parsed = parser.parse(TranscriptInput.read(AgentPlatformSamples.SAMPLES.resolve(SAMPLE), SAMPLE));

        assertThat(parsed.durationMs()).isEqualTo(19414);
        assertThat(parsed.utterances()).first().satisfies(u -> {
            assertThat(u.where()).isEqualTo("message.artifact.messages[1]");
            assertThat(u.speaker()).isEqualTo("user");
            assertThat(u.role()).isEqualTo(ParticipantRole.USER);
        });
    }

    @Test
    void rejectsTheBrokenSampleNamingTheMessageAndTheFile() {
        String shownAs = "transcripts/formats/broken/vapi-non-numeric-time.json";

        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> converter.convert(
                FORMATS.resolve("broken/vapi-non-numeric-time.json"), shownAs, null, SpeakerMapping.defaults(), null));

        assertThat(e.field()).isEqualTo("transcript.message.artifact.messages[3].secondsFromStart");
        assertThat(e.getMessage()).isEqualTo("message.artifact.messages[3].secondsFromStart is \"00:06.114\", "
                + "expected a number of seconds, in " + shownAs);
    }

    @Test
    void readsTheCallObjectOfGetCallWithAssistantRoleFloatNoiseAndDurationOnly() throws Exception {
        TranscriptInput call = input("""
                {"id": "c1", "type": "webCall", "status": "ended",
                 "startedAt": "2026-11-19T15:41:37.000Z", "endedAt": "2026-11-19T15:41:49.250Z",
                 "artifact": {"transcript": "AI: Hi.\\nUser: Hello.", "messages": [
                   {"role": "system", "message": "prompt", "time": 1795102897000, "secondsFromStart": 0},
                   {"role": "assistant", "message": "Hi there, how can I help?", "time": 1795102898840,
                    "secondsFromStart": 1.8399999, "duration": 780},
                   {"role": "user", "message": "Um, my order.", "time": 1795102909090, "endTime": 1795102910240.5,
                    "secondsFromStart": 12.09, "duration": 999999}
                 ]}}""");

        ParsedTranscript parsed = parser.parse(call);

        assertThat(parser.accepts(call)).isTrue();
        assertThat(parsed.durationMs()).isEqualTo(12250); // endedAt - startedAt
        assertThat(parsed.utterances()).extracting(Utterance::where, Utterance::speaker, Utterance::role, Utterance::startMs, Utterance::endMs)
                .containsExactly(
                        tuple("artifact.messages[1]", "assistant", ParticipantRole.AGENT, 1840L, 2620L),
                        // endTime - time wins over duration; 1150.5 ms rounds half-up
                        tuple("artifact.messages[2]", "user", ParticipantRole.USER, 12090L, 13241L));
    }

    @Test
    void readsAnOlderCallObjectWithMessagesAtTheTopAndContentAsText() throws Exception {
        TranscriptInput call = input("""
                {"id": "c2", "messages": [
                  {"role": "bot", "content": "Hello from Nora.", "secondsFromStart": 0.5, "duration": 1500},
                  {"role": "user", "content": "Hi.", "secondsFromStart": 2.25, "duration": 400}
                ]}""");

        TranscriptConverter.Conversion conversion = converter.convert(call, null, SpeakerMapping.defaults(), null);

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.VAPI);
        assertThat(conversion.transcript()).containsExactly(
                new TranscriptEntry(500, 2000, ParticipantRole.AGENT, "Hello from Nora.", null),
                new TranscriptEntry(2250, 2650, ParticipantRole.USER, "Hi.", null));
    }

    @Test
    void matchesToolResultsToToolCallsById() throws Exception {
        TranscriptInput call = input("""
                {"message": {"type": "end-of-call-report", "durationMs": 30000, "artifact": {"messages": [
                  {"role": "user", "message": "Where are my two orders?", "time": 1, "endTime": 2001, "secondsFromStart": 1.0},
                  {"role": "tool_calls", "message": "", "secondsFromStart": 3.25, "toolCalls": [
                    {"id": "call_a", "type": "function", "function": {"name": "lookup_order", "arguments": "{\\"order_id\\": \\"A-1\\"}"}},
                    {"id": "call_b", "type": "function", "function": {"name": "lookup_order", "arguments": {"order_id": "B-2"}}},
                    {"id": "call_c", "type": "function", "function": {"name": "log_contact", "arguments": ""}}
                  ]},
                  {"role": "tool_call_result", "toolCallId": "call_b", "name": "lookup_order", "secondsFromStart": 3.9,
                   "result": "{\\"status\\": \\"shipped\\", \\"eta\\": [\\"2026-11-21\\"]}"},
                  {"role": "tool_call_result", "toolCallId": "call_a", "name": "lookup_order", "secondsFromStart": 4.1,
                   "result": "No order A-1 was found."},
                  {"role": "bot", "message": "One is on its way.", "time": 5000, "endTime": 6500, "secondsFromStart": 5.0, "source": ""}
                ]}}}""");

        TranscriptConverter.Conversion conversion = converter.convert(call, null, SpeakerMapping.defaults(), null);

        assertThat(conversion.toolCalls()).containsExactly(
                new ToolCall("lookup_order", 3250, null, Map.of("order_id", "A-1"), "No order A-1 was found."),
                new ToolCall("lookup_order", 3250, null, Map.of("order_id", "B-2"), Map.of("status", "shipped", "eta", List.of("2026-11-21"))),
                new ToolCall("log_contact", 3250, null, Map.of(), null));
    }

    @Test
    void rejectsAResultForAToolCallThatIsNotThere() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"artifact": {"messages": [
                  {"role": "user", "message": "Hi.", "secondsFromStart": 1.0, "duration": 500},
                  {"role": "tool_calls", "message": "", "secondsFromStart": 2.0, "toolCalls": [
                    {"id": "call_a", "type": "function", "function": {"name": "lookup_order", "arguments": "{}"}}]},
                  {"role": "tool_call_result", "toolCallId": "call_z", "name": "lookup_order", "secondsFromStart": 2.5, "result": "ok"}
                ]}}""")));

        assertThat(e.field()).isEqualTo("transcript.artifact.messages[2].toolCallId");
        assertThat(e.getMessage()).isEqualTo("artifact.messages[2].toolCallId is 'call_z', which no tool_calls message has, in inline.json");
    }

    @Test
    void rejectsArgumentsThatAreNotAJsonObject() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"artifact": {"messages": [
                  {"role": "tool_calls", "message": "", "secondsFromStart": 2.0, "toolCalls": [
                    {"id": "call_a", "type": "function", "function": {"name": "lookup_order", "arguments": "[1, 2]"}}]}
                ]}}""")));

        assertThat(e.field()).isEqualTo("transcript.artifact.messages[0].toolCalls[0].function.arguments");
        assertThat(e.getMessage()).startsWith("artifact.messages[0].toolCalls[0].function.arguments is \"[1, 2]\", expected a JSON object");
    }

    @Test
    void rejectsAnUtteranceWhoseEndIsUnknown() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"messages": [{"role": "bot", "message": "Hello.", "time": 1795102897000, "secondsFromStart": 0.4}]}""")));

        assertThat(e.field()).isEqualTo("transcript.messages[0]");
        assertThat(e.getMessage()).isEqualTo("messages[0] has neither endTime (with time) nor duration, so where it ends is unknown, in inline.json");
    }

    @Test
    void rejectsARoleItDoesNotKnowRatherThanDropSpeech() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"messages": [{"role": "customer", "message": "Hello.", "secondsFromStart": 0.4, "duration": 300}]}""")));

        assertThat(e.field()).isEqualTo("transcript.messages[0].role");
        assertThat(e.getMessage()).contains("is 'customer'; expected system, bot, assistant, user, tool_calls or tool_call_result");
    }

    @Test
    void detectsOnlyVapiFiles() throws Exception {
        AgentPlatformSamples.assertAcceptsOnly(parser, AgentPlatformSamples.formatFiles(TranscriptFormat.VAPI));
    }

    @Test
    void doesNotClaimOtherCallExports() throws Exception {
        assertThat(parser.accepts(input("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"))).isFalse(); // OpenAI chat
        assertThat(parser.accepts(input("{\"call\": {\"transcript_object\": []}}"))).isFalse();
        assertThat(parser.accepts(input("[{\"speaker\": \"A\", \"text\": \"hi\", \"start\": 0, \"end\": 1}]"))).isFalse();
    }
}
