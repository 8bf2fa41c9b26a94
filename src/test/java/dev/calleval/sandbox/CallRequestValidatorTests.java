package dev.calleval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class CallRequestValidatorTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String A = "CallRequestUsingAgentId";
    private static final String B = "CallRequestUsingExternalAgentId";

    private final CallRequestValidator validator = new CallRequestValidator();

    @Test
    void acceptsTheReferenceExampleAndAppliesDefaults() {
        ObjectNode body = SandboxServerTests.validBody();
        body.remove("call_direction");
        body.remove("interface");
        body.put("some_future_field", 1);

        CallRequestValidator.Outcome outcome = validator.validate(body);

        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.variant()).isEqualTo(A);
        ObjectNode request = outcome.request();
        assertThat(request).isNotNull();
        assertThat(request.path("call_direction").asString()).isEqualTo("INBOUND");
        assertThat(request.path("interface").asString()).isEqualTo("PHONE");
        assertThat(request.path("label").asString()).isEqualTo("production");
        assertThat(request.path("multichannel").asBoolean()).isTrue();
        assertThat(request.has("some_future_field")).isFalse();
    }

    @Test
    void reportsMissingAgentIdOncePerVariant() {
        ObjectNode body = SandboxServerTests.validBody();
        body.remove("agent_id");

        assertThat(errors(body)).containsExactly(
                "missing body." + A + ".agent_id",
                "missing body." + B + ".external_agent_id");
    }

    @Test
    void acceptsTheExternalAgentIdVariant() {
        ObjectNode body = SandboxServerTests.validBody();
        body.remove("agent_id");
        body.put("external_agent_id", "acme-support");

        CallRequestValidator.Outcome outcome = validator.validate(body);

        assertThat(outcome.variant()).isEqualTo(B);
        assertThat(outcome.request()).isNotNull();
    }

    @Test
    void reportsMissingRequiredFieldsWithTheWholeObjectAsInput() {
        JsonNode body = JSON.readTree("{\"agent_id\": \"1\"}");

        CallRequestValidator.Outcome outcome = validator.validate(body);

        assertThat(errors(body)).startsWith(
                "missing body." + A + ".start_time_utc",
                "missing body." + A + ".participants");
        assertThat(outcome.errors().get(0).path("input")).isEqualTo(body);
        assertThat(outcome.errors().get(0).path("msg").asString()).isEqualTo("Field required");
    }

    @Test
    void rejectsWrongTypesWithPydanticErrorTypes() {
        ObjectNode body = SandboxServerTests.validBody();
        body.put("agent_id", 1234);
        body.put("tags", "not-a-list");
        body.put("metadata", "not-an-object");
        body.put("multichannel", "maybe");
        body.putArray("enable_phrase_latencies");
        ObjectNode entry = (ObjectNode) body.get("transcript").get(0);
        entry.put("start_offset_ms", 1.5);
        entry.put("end_offset_ms", "soon");
        entry.put("speaker", "agent");
        entry.remove("utterance");

        assertThat(errors(body)).startsWith(
                "string_type body." + A + ".agent_id",
                "int_from_float body." + A + ".transcript.0.start_offset_ms",
                "int_parsing body." + A + ".transcript.0.end_offset_ms",
                "enum body." + A + ".transcript.0.speaker",
                "missing body." + A + ".transcript.0.utterance",
                "list_type body." + A + ".tags",
                "dict_type body." + A + ".metadata",
                "bool_type body." + A + ".enable_phrase_latencies",
                "bool_parsing body." + A + ".multichannel");
    }

    @Test
    void coercesValuesPydanticLaxModeAccepts() {
        ObjectNode body = SandboxServerTests.validBody();
        ObjectNode entry = (ObjectNode) body.get("transcript").get(0);
        entry.put("start_offset_ms", "0");
        entry.put("end_offset_ms", 2400.0);
        entry.put("filler_utterance", "no");
        body.put("start_time_utc", "2026-08-01 14:03:22"); // naive: taken as UTC

        ObjectNode request = validator.validate(body).request();

        assertThat(request).isNotNull();
        JsonNode normalised = request.path("transcript").get(0);
        assertThat(normalised.path("start_offset_ms").isIntegralNumber()).isTrue();
        assertThat(normalised.path("end_offset_ms").asLong()).isEqualTo(2400);
        assertThat(normalised.path("filler_utterance").asBoolean(true)).isFalse();
        assertThat(request.path("start_time_utc").asString()).isEqualTo("2026-08-01T14:03:22Z");
    }

    @Test
    void normalisesDatetimesWithOffsetsToUtc() {
        ObjectNode body = SandboxServerTests.validBody();
        body.put("start_time_utc", "2026-08-01T16:03:22.123+02:00");

        ObjectNode request = validator.validate(body).request();

        assertThat(request).isNotNull();
        assertThat(request.path("start_time_utc").asString()).isEqualTo("2026-08-01T14:03:22.123Z");
    }

    @Test
    void rejectsInvalidDatetimesWithSpeedateReasons() {
        assertThat(datetimeError("2026-02-30T00:00:00Z"))
                .isEqualTo("datetime_from_date_parsing: Input should be a valid datetime or date, day value is outside"
                        + " expected range");
        assertThat(datetimeError("2026-10-09T24:00:00Z"))
                .endsWith("unexpected extra characters at the end of the input");
        assertThat(datetimeError("not-a-timestamp")).endsWith("invalid character in year");
        assertThat(datetimeError("yesterday")).endsWith("input is too short");
    }

    @Test
    void reportsItemErrorsInsteadOfTooShortAsPydanticDoes() {
        ObjectNode body = SandboxServerTests.validBody();
        ArrayNode participants = (ArrayNode) body.get("participants");
        participants.remove(1);
        ((ObjectNode) participants.get(0)).put("role", "BOT");

        assertThat(errors(body)).startsWith("enum body." + A + ".participants.0.role");
        assertThat(errors(body)).noneMatch(error -> error.startsWith("too_short"));
    }

    @Test
    void rejectsThreeParticipantsAsTooLong() {
        ObjectNode body = SandboxServerTests.validBody();
        ((ArrayNode) body.get("participants")).addObject().put("role", "USER");

        CallRequestValidator.Outcome outcome = validator.validate(body);

        assertThat(errors(body)).startsWith("too_long body." + A + ".participants");
        assertThat(outcome.errors().get(0).path("msg").asString())
                .isEqualTo("List should have at most 2 items after validation, not 3");
        assertThat(outcome.errors().get(0).path("ctx").path("max_length").asInt()).isEqualTo(2);
    }

    @Test
    void requiresOneAgentAndOneUserAsASandboxRule() {
        ObjectNode body = SandboxServerTests.validBody();
        ((ObjectNode) body.get("participants").get(1)).put("role", "AGENT");

        CallRequestValidator.Outcome outcome = validator.validate(body);

        assertThat(errors(body)).startsWith("value_error body." + A + ".participants");
        assertThat(outcome.errors().get(0).path("msg").asString()).startsWith("Value error, participants must be");
    }

    @Test
    void checksRecordingBase64IsADecodableAudioDataUrl() {
        ObjectNode body = SandboxServerTests.validBody();
        body.remove("recording_url");
        body.put("recording_base64", "data:audio/wav;base64,UklGRiQAAABXQVZF");
        assertThat(validator.validate(body).valid()).isTrue();

        body.put("recording_base64", "UklGRiQAAABXQVZF");
        assertThat(errors(body)).startsWith("value_error body." + A + ".recording_base64");

        body.put("recording_base64", "data:audio/wav;base64,not base64!");
        assertThat(errors(body)).startsWith("value_error body." + A + ".recording_base64");
    }

    @Test
    void checksUrlsAsPydanticHttpUrl() {
        ObjectNode body = SandboxServerTests.validBody();
        body.put("recording_url", "s3://bucket/calls/1.wav");
        body.put("transcript_url", "calls/1.json");

        assertThat(errors(body)).startsWith(
                "url_scheme body." + A + ".recording_url",
                "url_parsing body." + A + ".transcript_url");

        body.put("recording_url", "https://:8443/no-host.wav");
        body.put("transcript_url", "");
        assertThat(errors(body)).startsWith(
                "url_parsing body." + A + ".recording_url",
                "url_parsing body." + A + ".transcript_url");

        body.put("recording_url", "https://example.com/" + "a".repeat(2063)); // 2083 bytes: fine
        body.remove("transcript_url");
        assertThat(validator.validate(body).valid()).isTrue();
    }

    @Test
    void checksCustomMetricsAreUuidsAndToolCallOffsetsAreNotNegative() {
        ObjectNode body = SandboxServerTests.validBody();
        body.putArray("custom_metrics").add("6F1C2D9E-8A4B-4C1E-9F0A-3B2C1D0E9F8A").add("6f1c2d9e").add(7);
        ((ObjectNode) body.get("tool_calls").get(0)).put("start_offset_ms", -1);
        ((ObjectNode) body.get("events").get(0)).remove("title");

        CallRequestValidator.Outcome outcome = validator.validate(body);

        assertThat(errors(body)).startsWith(
                "greater_than_equal body." + A + ".tool_calls.0.start_offset_ms",
                "missing body." + A + ".events.0.title",
                "uuid_parsing body." + A + ".custom_metrics.1",
                "uuid_type body." + A + ".custom_metrics.2");
        assertThat(outcome.errors().get(0).path("msg").asString())
                .isEqualTo("Input should be greater than or equal to 0");
        assertThat(outcome.errors().get(2).path("msg").asString())
                .isEqualTo("Input should be a valid UUID, invalid length: expected length 32 for simple format,"
                        + " found 8");
    }

    @Test
    void rejectsNonObjectBodiesAsModelType() {
        assertThat(errors(JSON.readTree("[1, 2]"))).containsExactly("model_type body." + A, "model_type body." + B);
        assertThat(errors(null)).containsExactly("missing body");
    }

    private List<String> errors(@org.jspecify.annotations.Nullable JsonNode body) {
        List<String> errors = new ArrayList<>();
        for (JsonNode item : validator.validate(body).errors()) {
            List<String> loc = new ArrayList<>();
            item.path("loc").forEach(part -> loc.add(part.asString()));
            errors.add(item.path("type").asString() + " " + String.join(".", loc));
        }
        return errors;
    }

    private String datetimeError(String value) {
        ObjectNode body = SandboxServerTests.validBody();
        body.put("start_time_utc", value);
        JsonNode error = validator.validate(body).errors().get(0);
        assertThat(error.path("loc").get(2).asString()).isEqualTo("start_time_utc");
        return error.path("type").asString() + ": " + error.path("msg").asString();
    }
}
