package dev.calleval.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.EndConversationsRequest;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.SmsSimulationRunRequest;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.contract.SampleRequests.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The JSON bodies our client sends validate against the request schema the spec gives their endpoint.
 *
 * <p>Bodies are produced as a run produces them ({@link SampleRequests}: the sample job's manifest read and
 * mapped with the job's defaults) and written by {@link BluejayJson#mapper()} (local recordings stream in as a
 * base64 data URL). Each row is sent in every {@link Variant}: as read ({@code agent_id}, recording and
 * transcript from disk), with {@code external_agent_id} (the other {@code anyOf} variant), and with https
 * recording and transcript URLs.
 *
 * <p>To cover another endpoint, add its cases to {@link #clientRequests()}: an endpoint ({@code METHOD /path}
 * as in the spec's {@code paths}) and the request object the client serialises.
 */
class ClientRequestContractTests {

    /**
     * One request body our client sends.
     *
     * @param endpoint {@code METHOD /path}, as in the spec's {@code paths}
     * @param name what the body is, for the test report
     * @param body the request object, serialised with {@link BluejayJson#mapper()}
     */
    record ClientRequest(String endpoint, String name, Object body) {
        String method() {
            return endpoint.substring(0, endpoint.indexOf(' '));
        }

        String path() {
            return endpoint.substring(endpoint.indexOf(' ') + 1);
        }

        @Override
        public String toString() {
            return endpoint + ": " + name;
        }
    }

    static Stream<ClientRequest> clientRequests() {
        return Stream.of(evaluateRequests(), simulationRequests()).flatMap(s -> s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientRequests")
    void requestBodyOurClientSendsValidatesAgainstTheSpec(ClientRequest request) {
        OpenApiContract contract = OpenApiContract.require();
        JsonNode body = serialise(request.body());

        assertThat(contract.validate(contract.requestSchemaOf(request.method(), request.path()), body))
                .as(request.toString())
                .isEmpty();
    }

    // ----------------------------------------------------------------------------- POST /v1/evaluate

    /** Every row of the sample manifest, mapped into each {@link Variant}. */
    static Stream<ClientRequest> evaluateRequests() {
        return Stream.of(Variant.values()).flatMap(variant -> SampleRequests.all(variant).stream()
                .map(request -> new ClientRequest("POST /v1/evaluate",
                        SampleRequests.sourceId(request) + " " + variant, request)));
    }

    @Test
    void everySampleRowIsMappedIntoEachBodyVariant() {
        List<EvaluateRequest> byAgentId = SampleRequests.all(Variant.AGENT_ID);
        List<EvaluateRequest> byExternalId = SampleRequests.all(Variant.EXTERNAL_AGENT_ID);
        List<EvaluateRequest> byUrl = SampleRequests.all(Variant.MEDIA_URLS);

        assertThat(byAgentId).hasSize(15).allSatisfy(r -> {
            assertThat(r.agentId()).isEqualTo("1234");
            assertThat(r.externalAgentId()).isNull();
            assertThat(r.recordingBase64()).isNotNull();
            assertThat(r.transcript()).isNotEmpty();
        });
        assertThat(byExternalId).hasSize(15).allSatisfy(r -> {
            assertThat(r.agentId()).isNull();
            assertThat(r.externalAgentId()).isEqualTo("1234");
        });
        assertThat(byUrl).hasSize(15).allSatisfy(r -> {
            assertThat(r.recordingUrl()).startsWith("https://");
            assertThat(r.transcriptUrl()).startsWith("https://");
            assertThat(r.recordingBase64()).isNull();
        });
        assertThat(serialise(byAgentId.get(0)).path("recording_base64").asString()).startsWith("data:audio/wav;base64,");
    }

    @Test
    void bodyTheSpecForbidsIsRejectedAfterSerialisation() {
        OpenApiContract contract = OpenApiContract.require();
        // Bypasses the mapping's own validator: proves the serialised form is what gets checked.
        EvaluateRequest request = new EvaluateRequest("1234", null, Instant.parse("2026-11-19T08:02:11Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, null, null)), "recordings/0001.wav", null, null,
                null, null, null, null, null, null, null, null, null, null, List.of("not-a-uuid"), null, null, null,
                null, null);

        List<String> errors = contract.validate(contract.requestSchemaOf("POST", "/v1/evaluate"), serialise(request));

        assertThat(errors)
                .anySatisfy(e -> assertThat(e).startsWith("/participants: ").contains("[minItems at "))
                .anySatisfy(e -> assertThat(e).startsWith("/recording_url: ").contains("[format at "))
                .anySatisfy(e -> assertThat(e).startsWith("/custom_metrics/0: ").contains("[format at "));
    }

    // -------------------------------------------------------------- simulation endpoints (merge point)

    /**
     * MERGE POINT for the simulation branch: one {@link ClientRequest} per request record the client sends to
     * {@code POST /v1/update-simulation-result}, {@code POST /v1/queue-sms-simulation-run} and
     * {@code POST /v1/end-conversations}, e.g.
     * {@code new ClientRequest("POST /v1/end-conversations", "two ids", new EndConversationsRequest(List.of(716977L, 716978L)))}.
     * Build them the way the client does (its factory methods or mapping), not as hand-written JSON.
     */
    static Stream<ClientRequest> simulationRequests() {
        List<ToolCall> toolCalls = List.of(new ToolCall("lookup_order", 6000, "Looks up an order", Map.of("order_id", "A-1"),
                Map.of("status", "shipped")));
        List<Event> events = List.of(new Event("Customer verified", 30000, null, 31000L, List.of("verification"), Map.of("method", "dob")));
        List<TranscriptEntry> transcript = List.of(new TranscriptEntry(0, 2400, ParticipantRole.AGENT, "Thanks for calling.", null),
                new TranscriptEntry(2900, 5100, ParticipantRole.USER, "Where is my order?", null));
        return Stream.of(
                new ClientRequest("POST /v1/update-simulation-result", "everything",
                        new UpdateSimulationResultRequest("716977", events, toolCalls, transcript, List.of("nightly"),
                                Map.of("resolution_status", "resolved"), null)),
                new ClientRequest("POST /v1/update-simulation-result", "tool calls only",
                        new UpdateSimulationResultRequest("716978", null, toolCalls, null, null, null, null)),
                new ClientRequest("POST /v1/queue-sms-simulation-run", "all options",
                        new SmsSimulationRunRequest("30425", "7f1c2d9e-8a4b-4c1e-9f0a-3b2c1d0e9f8a", "0b6a2f6e-5a34-4f7e-9a43-1d6b0b7c2e11",
                                List.of("456", "457"), Boolean.TRUE, 2)),
                new ClientRequest("POST /v1/queue-sms-simulation-run", "simulation only",
                        new SmsSimulationRunRequest("30425", null, null, null, null, null)),
                new ClientRequest("POST /v1/end-conversations", "two ids", new EndConversationsRequest(List.of(716977L, 716978L))));
    }

    // --------------------------------------------------------------------------------------- helpers

    /** The body exactly as the client writes it, read back as a tree. */
    private static JsonNode serialise(Object request) {
        return BluejayJson.mapper().readTree(BluejayJson.mapper().writeValueAsBytes(request));
    }
}
