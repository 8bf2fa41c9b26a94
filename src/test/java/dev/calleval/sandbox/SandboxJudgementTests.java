package dev.calleval.sandbox;

import static dev.calleval.sandbox.SandboxTestSupport.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The judgement a call's metadata scripts ({@link ScriptedJudgement}), through the real HTTP server. */
class SandboxJudgementTests {

    private final SandboxTestSupport support = new SandboxTestSupport();

    @AfterEach
    void close() throws Exception {
        support.close();
    }

    @Test
    void metadataScriptsGoalSuccessHallucinationSentimentAndCustomMetricsOfEveryEvaluation() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withEvaluationDelay(Duration.ofMillis(10)));
        ObjectNode body = SandboxServerTests.validBody();
        body.putObject("metadata")
                .put("sandbox_goal_success", "false")
                .put("sandbox_hallucination", true)
                .put("sandbox_sentiment", "Negative")
                .put("sandbox_custom_metrics", "Verified identity=pass; Politeness=4 ;Tone=warm");
        String callId = support.postJson(sandbox, "/v1/evaluate", body.toString()).path("call_id").asString();

        JsonNode evaluation = completedEvaluation(sandbox, callId);

        assertThat(evaluation.path("goal_success").isBoolean()).isTrue();
        assertThat(evaluation.path("goal_success").asBoolean()).isFalse();
        assertThat(evaluation.path("goal_reasoning").asString()).contains("sandbox_goal_success");
        assertThat(evaluation.path("hallucination").asBoolean()).isTrue();
        assertThat(evaluation.path("sentiment_label").asString()).isEqualTo("negative");
        JsonNode metrics = evaluation.path("custom_metrics");
        assertThat(metrics).hasSize(3);
        assertThat(metrics.get(0).path("name").asString()).isEqualTo("Verified identity");
        assertThat(metrics.get(0).path("response_type").asString()).isEqualTo("pass_fail");
        assertThat(metrics.get(0).path("response_value").asString()).isEqualTo("pass");
        assertThat(metrics.get(1).path("response_type").asString()).isEqualTo("quantitative");
        assertThat(metrics.get(1).path("response_value").asString()).isEqualTo("4");
        assertThat(metrics.get(2).path("response_type").asString()).isEqualTo("qualitative");
        assertThat(evaluation.path("redundancy").isNull()).isTrue();
    }

    @Test
    void withoutControlsEveryJudgedFieldStaysNull() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults().withEvaluationDelay(Duration.ofMillis(10)));
        String callId = support.postJson(sandbox, "/v1/evaluate", SandboxServerTests.validBody().toString())
                .path("call_id").asString();

        JsonNode evaluation = completedEvaluation(sandbox, callId);

        for (String field : new String[] {"goal_success", "hallucination", "sentiment_label", "custom_metrics"}) {
            assertThat(evaluation.path(field).isNull()).as(field).isTrue();
        }
    }

    @Test
    void aBadControlValueIsA422NamingTheKey() throws Exception {
        SandboxServer sandbox = support.start(SandboxConfig.defaults());
        ObjectNode body = SandboxServerTests.validBody();
        body.putObject("metadata").put("sandbox_goal_success", "maybe");

        HttpResponse<String> answer = support.post(sandbox, "/v1/evaluate", body.toString());

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(answer.body()).path("detail").get(0).path("msg").asString())
                .contains("metadata.sandbox_goal_success must be true or false");
    }

    private JsonNode completedEvaluation(SandboxServer sandbox, String callId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonNode log = support.getJson(sandbox, "/v1/retrieve-call-log/" + callId).path("call_log");
            if (log.path("status").asString().equals("COMPLETED")) {
                return log.path("evaluations").get(0);
            }
            assertThat(System.nanoTime()).as("call %s still %s", callId, log.path("status")).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
