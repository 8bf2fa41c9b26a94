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

class RetellParserTests {
    private static final String CALL = "nw-2026-11-19-0011";
    private static final String SAMPLE = "transcripts/formats/retell/" + CALL + ".json";
    /** 2026-11-19T15:12:04Z, the sample call's start. */
    private static final long START = 1795101124000L;
    private final TranscriptConverter converter = new TranscriptConverter();
    private final RetellParser parser = new RetellParser();

    @Test
    void convertsTheCallAnalyzedSampleToTheCallsBluejayTranscript() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(AgentPlatformSamples.SAMPLES.resolve(SAMPLE), SAMPLE, null,
                SpeakerMapping.defaults(), AgentPlatformSamples.wavMs(CALL));

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.RETELL);
        assertThat(conversion.transcript()).containsExactlyElementsOf(AgentPlatformSamples.bluejayTranscript(CALL));
    }

    @Test
    void placesEachToolCallAtTheEndOfTheUtteranceBeforeIt() throws Exception {
        TranscriptConverter.Conversion conversion = converter.convert(AgentPlatformSamples.SAMPLES.resolve(SAMPLE), SAMPLE, null,
                SpeakerMapping.defaults(), null);

        // Retell does not time invocations: the sidecar's 11087 and 17530 ms become the ends of the customer's
        // utterances before them (10927 and 17340 ms); names, parameters and outputs are the sidecar's.
        List<ToolCall> sidecar = AgentPlatformSamples.sidecarToolCalls(CALL);
        assertThat(sidecar).extracting(ToolCall::startOffsetMs).containsExactly(11087L, 17530L);
        assertThat(conversion.toolCalls()).containsExactly(
                new ToolCall("find_slots", 10927, null, sidecar.get(0).parameters(), sidecar.get(0).output()),
                new ToolCall("reschedule_appointment", 17340, null, sidecar.get(1).parameters(), sidecar.get(1).output()));
        assertThat(conversion.toolCalls().get(0).parameters()).containsEntry("appointment_id", "APT-76990");
        assertThat(conversion.toolCalls().get(0).output()).isEqualTo(Map.of("slots", List.of("2026-11-20T15:15:00-05:00")));
    }

    @Test
    void takesTheCallLengthFromItsTimestampsAndKeepsTheRoleAsLabel() throws Exception {
        ParsedTranscript parsed = parser.parse(TranscriptInput.read(AgentPlatformSamples.SAMPLES.resolve(SAMPLE), SAMPLE));

        assertThat(parsed.durationMs()).isEqualTo(23105);
        assertThat(parsed.utterances()).first().extracting(Utterance::where, Utterance::speaker, Utterance::role)
                .containsExactly("call.transcript_with_tool_calls[0]", "user", ParticipantRole.USER);
    }

    @Test
    void rejectsTheBrokenSampleNamingTheUtteranceAndTheFile() {
        String shownAs = "transcripts/formats/broken/retell-end-before-start.json";

        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> converter.convert(
                FORMATS.resolve("broken/retell-end-before-start.json"), shownAs, null, SpeakerMapping.defaults(), null));

        assertThat(e.field()).isEqualTo("transcript.call.transcript_with_tool_calls[2]");
        assertThat(e.getMessage()).isEqualTo("call.transcript_with_tool_calls[2] ends at 7517 ms, before it starts at 7917 ms, in " + shownAs);
    }

    @Test
    void readsAGetCallObjectWithOnlyTranscriptObject() throws Exception {
        TranscriptInput call = input("""
                {"call_id": "call_1", "call_type": "web_call", "call_status": "ended", "duration_ms": 9000,
                 "transcript": "Agent: Hi, Nora here.\\nUser: Hi Nora.\\n",
                 "transcript_object": [
                   {"role": "agent", "content": "Hi, Nora here.", "words": [
                     {"word": "Hi,", "start": 0.3, "end": 0.62}, {"word": "Nora", "start": 0.62, "end": 0.9899999},
                     {"word": "here.", "start": 1.0, "end": 1.4549999}]},
                   {"role": "user", "content": "Hi Nora.", "words": [
                     {"word": "Hi", "start": 2.29, "end": 2.5}, {"word": "Nora.", "start": 2.5, "end": 3.0005}]}
                 ]}""");

        TranscriptConverter.Conversion conversion = converter.convert(call, null, SpeakerMapping.defaults(), null);

        assertThat(conversion.format()).isEqualTo(TranscriptFormat.RETELL);
        assertThat(conversion.transcript()).containsExactly(
                new TranscriptEntry(300, 1455, ParticipantRole.AGENT, "Hi, Nora here.", null),
                new TranscriptEntry(2290, 3001, ParticipantRole.USER, "Hi Nora.", null));
        assertThat(conversion.toolCalls()).isEmpty();
        assertThat(parser.parse(call).durationMs()).isEqualTo(9000);
    }

    @Test
    void rebasesEpochTimesOnTheCallStart() throws Exception {
        TranscriptInput call = input("""
                {"call_id": "call_2", "start_timestamp": %d, "end_timestamp": %d,
                 "transcript_with_tool_calls": [
                   {"role": "agent", "content": "Hello.", "words": [{"word": "Hello.", "start": %d, "end": %d}]},
                   {"role": "tool_call_invocation", "tool_call_id": "t1", "name": "lookup", "arguments": "{}", "time_sec": %s},
                   {"role": "user", "content": "Hi.", "words": [{"word": "Hi.", "start": %s, "end": %s}]}
                 ]}""".formatted(START, START + 10_000, START + 500, START + 1250, "1795101125.6", "1795101126.125", "1795101126.5"));

        ParsedTranscript parsed = parser.parse(call);

        assertThat(parsed.utterances()).extracting(Utterance::startMs, Utterance::endMs)
                .containsExactly(tuple(500L, 1250L), tuple(2125L, 2500L)); // epoch ms, then epoch seconds
        assertThat(parsed.toolCalls()).extracting(ToolCall::startOffsetMs).containsExactly(1600L);
        assertThat(parsed.durationMs()).isEqualTo(10_000);
    }

    @Test
    void rejectsAnEpochTimeWhenTheCallHasNoStart() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"transcript_object": [{"role": "agent", "content": "Hello.",
                  "words": [{"word": "Hello.", "start": 1795101124500, "end": 1795101125250}]}]}""")));

        assertThat(e.field()).isEqualTo("transcript.transcript_object[0].words[0].start");
        assertThat(e.getMessage()).isEqualTo("transcript_object[0].words[0].start is 1795101124500, an absolute (epoch) time, "
                + "but the call has no start_timestamp to rebase it on, in inline.json");
    }

    @Test
    void matchesResultsToInvocationsByIdAndTimesAnInvocationBeforeAnySpeechByTheNextUtterance() throws Exception {
        TranscriptInput call = input("""
                {"call": {"call_id": "call_3", "transcript_with_tool_calls": [
                   {"role": "tool_call_invocation", "tool_call_id": "t0", "name": "load_profile", "arguments": "{\\"phone\\": \\"+15555550111\\"}"},
                   {"role": "tool_call_result", "tool_call_id": "t0", "content": "{\\"name\\": \\"Grace\\"}"},
                   {"role": "agent", "content": "Hi Grace.", "words": [{"word": "Hi", "start": 0.8, "end": 1.0}, {"word": "Grace.", "start": 1.0, "end": 1.5}]},
                   {"role": "node_transition", "former_node_id": "a", "former_node_name": "greet", "new_node_id": "b", "new_node_name": "help"},
                   {"role": "user", "content": "Two things.", "words": [{"word": "Two", "start": 2.0, "end": 2.3}, {"word": "things.", "start": 2.3, "end": 2.9}]},
                   {"role": "tool_call_invocation", "tool_call_id": "t1", "name": "lookup_order", "arguments": "{\\"order_id\\": \\"A-1\\"}"},
                   {"role": "tool_call_invocation", "tool_call_id": "t2", "name": "lookup_order", "arguments": "{\\"order_id\\": \\"B-2\\"}"},
                   {"role": "dtmf", "digit": "1"},
                   {"role": "tool_call_result", "tool_call_id": "t2", "content": "shipped", "successful": true},
                   {"role": "tool_call_result", "tool_call_id": "t1", "content": "[\\"late\\"]", "successful": true},
                   {"role": "agent", "content": "Got them.", "words": [{"word": "Got", "start": 4.0, "end": 4.2}, {"word": "them.", "start": 4.2, "end": 4.6}]}
                 ]}}""");

        TranscriptConverter.Conversion conversion = converter.convert(call, null, SpeakerMapping.defaults(), null);

        assertThat(conversion.toolCalls()).containsExactly(
                new ToolCall("load_profile", 800, null, Map.of("phone", "+15555550111"), Map.of("name", "Grace")),
                new ToolCall("lookup_order", 2900, null, Map.of("order_id", "A-1"), List.of("late")),
                new ToolCall("lookup_order", 2900, null, Map.of("order_id", "B-2"), "shipped"));
        assertThat(conversion.transcript()).extracting(TranscriptEntry::speaker)
                .containsExactly(ParticipantRole.AGENT, ParticipantRole.USER, ParticipantRole.AGENT);
    }

    @Test
    void rejectsAResultWithoutItsInvocation() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"transcript_with_tool_calls": [
                   {"role": "agent", "content": "Hi.", "words": [{"word": "Hi.", "start": 0.5, "end": 0.9}]},
                   {"role": "tool_call_result", "tool_call_id": "t9", "content": "ok"}]}""")));

        assertThat(e.field()).isEqualTo("transcript.transcript_with_tool_calls[1].tool_call_id");
        assertThat(e.getMessage()).isEqualTo("transcript_with_tool_calls[1].tool_call_id is 't9', which no earlier tool_call_invocation has, in inline.json");
    }

    @Test
    void rejectsAWordTimeThatIsNotANumber() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"transcript_object": [{"role": "user", "content": "Hello there.",
                  "words": [{"word": "Hello", "start": 0.5, "end": "0.9s"}, {"word": "there.", "start": 0.9, "end": 1.3}]}]}""")));

        assertThat(e.field()).isEqualTo("transcript.transcript_object[0].words[0].end");
        assertThat(e.getMessage()).isEqualTo("transcript_object[0].words[0].end is \"0.9s\", expected a number of seconds from the call start, in inline.json");
    }

    @Test
    void rejectsAnUtteranceWithoutWords() {
        TranscriptException e = catchThrowableOfType(TranscriptException.class, () -> parser.parse(input("""
                {"transcript_object": [{"role": "agent", "content": "Hello.", "words": []}]}""")));

        assertThat(e.field()).isEqualTo("transcript.transcript_object[0].words");
        assertThat(e.getMessage()).isEqualTo("transcript_object[0].words is []: an utterance needs its words, which carry its times, in inline.json");
    }

    @Test
    void leavesATransferTargetToTheJobsSpeakerLabels() throws Exception {
        TranscriptInput call = input("""
                {"transcript_object": [
                   {"role": "agent", "content": "Transferring you now.", "words": [{"word": "Transferring", "start": 0.5, "end": 1.9}]},
                   {"role": "transfer_target", "content": "Billing, this is Sam.", "words": [{"word": "Billing,", "start": 3.0, "end": 4.4}]}]}""");
        SpeakerMapping speakers = new SpeakerMapping(SpeakerMapping.Strategy.AUTO, Map.of("transfer_target", ParticipantRole.AGENT),
                Map.of(), ParticipantRole.AGENT, SpeakerMapping.DEFAULT_FILLER_WORDS);

        assertThat(parser.parse(call).utterances().get(1)).extracting(Utterance::speaker, Utterance::role)
                .containsExactly("transfer_target", null);
        assertThat(converter.convert(call, null, speakers, null).transcript()).extracting(TranscriptEntry::speaker)
                .containsExactly(ParticipantRole.AGENT, ParticipantRole.AGENT);
    }

    @Test
    void detectsOnlyRetellFiles() throws Exception {
        AgentPlatformSamples.assertAcceptsOnly(parser, AgentPlatformSamples.formatFiles(TranscriptFormat.RETELL));
    }

    @Test
    void doesNotClaimOtherCallExports() throws Exception {
        assertThat(parser.accepts(input("{\"call_id\": \"c\", \"transcript\": \"Agent: hi\"}"))).isFalse(); // no timed transcript
        assertThat(parser.accepts(input("{\"message\": {\"artifact\": {\"messages\": []}}}"))).isFalse();
        assertThat(parser.accepts(input("{\"transcript\": [{\"start_offset_ms\": 0, \"end_offset_ms\": 5, \"speaker\": \"AGENT\", \"utterance\": \"hi\"}]}"))).isFalse();
    }
}
