package dev.calleval.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.bluejay.BluejayJson;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.job.EvaluateJobFactory;
import dev.calleval.job.JobDefinition;
import dev.calleval.job.JobDefinitions;
import dev.calleval.manifest.CallRecord;
import dev.calleval.manifest.ColumnMapping;
import dev.calleval.manifest.ManifestItemReader;
import dev.calleval.mapping.CallMapper;
import dev.calleval.mapping.MappedCall;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.JsonNode;

/**
 * The JSON bodies our client sends validate against the request schema the spec gives their endpoint.
 *
 * <p>Bodies are produced as a run produces them: the sample job ({@code jobs/sample.yaml}) is loaded, its
 * manifest read by {@link ManifestItemReader}, every row mapped by {@link CallMapper} with the job's defaults, and
 * the request written by {@link BluejayJson#mapper()} (local recordings stream in as a base64 data URL). Each
 * row is sent three ways: as read ({@code agent_id}, recording and transcript from disk), with the manifest's
 * agent column mapped to {@code external_agent_id} (the other {@code anyOf} variant), and with https recording and
 * transcript URLs ({@code recording_url}, {@code transcript_url}).
 *
 * <p>To cover another endpoint, add its cases to {@link #clientRequests()}: an endpoint ({@code METHOD /path}
 * as in the spec's {@code paths}) and the request object the client serialises.
 */
class ClientRequestContractTests {

    private static final Path JOBS = Path.of("jobs");

    private static OpenApiContract contract;

    @BeforeAll
    static void loadSpec() {
        contract = OpenApiContract.require();
    }

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
        JsonNode body = serialise(request.body());

        assertThat(contract.validate(contract.requestSchemaOf(request.method(), request.path()), body))
                .as(request.toString())
                .isEmpty();
    }

    // ----------------------------------------------------------------------------- POST /v1/evaluate

    /** Every row of the sample manifest, mapped three ways (see the class comment). */
    static Stream<ClientRequest> evaluateRequests() {
        List<ClientRequest> requests = new ArrayList<>();
        JobDefinition sample = new JobDefinitions(JOBS).load("sample");
        for (EvaluateRequest request : mapSample(sample, Map.of(), UnaryOperator.identity())) {
            requests.add(new ClientRequest("POST /v1/evaluate", sourceId(request) + " with agent_id", request));
        }
        for (EvaluateRequest request : mapSample(sample, Map.of("external_agent_id", "agent_id"), UnaryOperator.identity())) {
            requests.add(new ClientRequest("POST /v1/evaluate", sourceId(request) + " with external_agent_id", request));
        }
        for (EvaluateRequest request : mapSample(sample, Map.of(), ClientRequestContractTests::withHttpsMedia)) {
            requests.add(new ClientRequest("POST /v1/evaluate", sourceId(request) + " with recording and transcript URLs",
                    request));
        }
        return requests.stream();
    }

    @Test
    void everySampleRowIsMappedIntoEachBodyVariant() {
        JobDefinition sample = new JobDefinitions(JOBS).load("sample");

        List<EvaluateRequest> byAgentId = mapSample(sample, Map.of(), UnaryOperator.identity());
        List<EvaluateRequest> byExternalId = mapSample(sample, Map.of("external_agent_id", "agent_id"), UnaryOperator.identity());
        List<EvaluateRequest> byUrl = mapSample(sample, Map.of(), ClientRequestContractTests::withHttpsMedia);

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
        return Stream.of();
    }

    // --------------------------------------------------------------------------------------- helpers

    /** The accepted requests of the job's manifest, read with extra column mappings and each row rewritten. */
    private static List<EvaluateRequest> mapSample(JobDefinition job, Map<String, String> columnOverrides,
            UnaryOperator<CallRecord> rewrite) {
        Map<String, String> columns = new HashMap<>(job.source().columns());
        columns.putAll(columnOverrides);
        CallMapper mapper = new CallMapper(EvaluateJobFactory.mappingDefaults(job));
        ManifestItemReader reader = new ManifestItemReader(job.manifestPath(), job.source().location(),
                new ColumnMapping(columns), false);
        List<EvaluateRequest> requests = new ArrayList<>();
        reader.open(new ExecutionContext());
        try {
            CallRecord row;
            while ((row = reader.read()) != null) {
                MappedCall mapped = mapper.process(rewrite.apply(row));
                if (!(mapped instanceof MappedCall.Accepted accepted)) {
                    throw new AssertionError("sample row rejected by the mapping: " + mapped);
                }
                requests.add(accepted.request());
            }
        } finally {
            reader.close();
        }
        return requests;
    }

    /** The row with its recording and transcript as https URLs instead of local files. */
    private static CallRecord withHttpsMedia(CallRecord row) {
        String callId = row.callId().orElseThrow();
        Map<String, String> values = new HashMap<>(row.values());
        values.put("recording", "https://storage.example.com/northwind/recordings/" + callId + ".wav");
        values.put("transcript", "https://storage.example.com/northwind/transcripts/" + callId + ".json");
        return new CallRecord(row.source(), row.baseDirectory(), values, row.problem());
    }

    private static String sourceId(EvaluateRequest request) {
        return String.valueOf(request.metadata().get("calleval_source_id"));
    }

    /** The body exactly as the client writes it, read back as a tree. */
    private static JsonNode serialise(Object request) {
        return BluejayJson.mapper().readTree(BluejayJson.mapper().writeValueAsBytes(request));
    }
}
