package dev.calleval.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/** How each answer of update-simulation-result lands in the ledger, over loopback HTTP with the real client. */
class SimulationUpdatePosterTests {
    private static final long EXECUTION = 7;

    private FakeUpdateSimulationResultEndpoint bluejay;
    private SimulationUpdateLedger ledger;
    private long seq;

    @BeforeEach
    void start() throws Exception {
        // replace with SandboxServer once it serves update-simulation-result
        bluejay = FakeUpdateSimulationResultEndpoint.start("1", "2", "3");
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:poster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2", "classpath:db/migration/common").load().migrate();
        ledger = new SimulationUpdateLedger(new NamedParameterJdbcTemplate(dataSource), new JdbcTransactionManager(dataSource), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        bluejay.close();
    }

    private BluejayClient client(int maxAttempts, Duration requestTimeout) {
        return new BluejayClient(new BluejayClientSettings(bluejay.baseUri(), ApiKey.of("test-key"), 0, Duration.ofSeconds(2), requestTimeout,
                new BluejayClientSettings.RetrySettings(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1))));
    }

    private SimulationUpdateLedger.Entry post(BluejayClient client, String id) {
        UpdateSimulationResultRequest request = new UpdateSimulationResultRequest(id, null, null, null, List.of("t"), null, null);
        MappedUpdate.Accepted update = new MappedUpdate.Accepted(new SimulationLog(++seq, "logs/" + id + ".json", 0, id, "the file name", null,
                () -> null), request, SimulationLogMapper.fingerprint(request));
        List<SimulationUpdateLedger.Claim> claims = ledger.claim(EXECUTION, "poster-test", List.of(update), false);
        try (SimulationUpdatePoster poster = new SimulationUpdatePoster(client, ledger, EXECUTION, 2)) {
            claims.forEach(poster::post);
        }
        return ledger.find(id).orElseThrow();
    }

    @Test
    void aSuccessIsPostedWithItsAttempts() {
        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), "1");

        assertThat(entry.state()).isEqualTo(UpdateState.POSTED);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.postedAt()).isNotNull();
        assertThat(bluejay.posts("1")).isEqualTo(1);
    }

    @Test
    void a422IsRejectedWithTheApisFields() {
        bluejay.script("1", new FakeUpdateSimulationResultEndpoint.Scripted(422,
                "{\"detail\":[{\"loc\":[\"body\",\"tool_calls\",0,\"start_offset_ms\"],\"msg\":\"Input should be greater than or equal to 0\",\"type\":\"greater_than_equal\"}]}",
                false, 0));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), "1");

        assertThat(entry.state()).isEqualTo(UpdateState.REJECTED);
        assertThat(entry.errorFields()).isEqualTo("tool_calls.0.start_offset_ms");
        assertThat(entry.lastError()).isEqualTo("Bluejay refused the update (422): tool_calls.0.start_offset_ms: Input should be greater than or equal to 0");
    }

    @Test
    void a404IsRejectedAsAnUnknownSimulationResult() {
        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), "404404");

        assertThat(entry.state()).isEqualTo(UpdateState.REJECTED);
        assertThat(entry.errorFields()).isEqualTo("simulation_result_id");
        assertThat(entry.lastError()).startsWith("Bluejay does not know simulation result 404404 (404)");
    }

    @Test
    void aTwoHundredWithAnUnreadableBodyIsPostedBecauseTheUpdateWasApplied() {
        bluejay.script("1", new FakeUpdateSimulationResultEndpoint.Scripted(200, "<html>ok</html>", true, 0));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), "1");

        assertThat(entry.state()).isEqualTo(UpdateState.POSTED);
        assertThat(entry.lastError()).startsWith("applied; ").contains("not the documented JSON");
    }

    @Test
    void retriesExhaustedOnAnswersThatProveNothingWasAppliedAreFailed() {
        bluejay.script("1", new FakeUpdateSimulationResultEndpoint.Scripted(503, "{\"detail\":\"busy\"}", false, 0));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), "1");

        assertThat(entry.state()).isEqualTo(UpdateState.FAILED);
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(bluejay.requests()).isEqualTo(3);
    }

    @Test
    void aTimeoutAfterSendingIsInDoubtAndNotRetried() {
        bluejay.script("1", new FakeUpdateSimulationResultEndpoint.Scripted(200, "{\"status\":\"success\"}", true, 1500));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofMillis(300)), "1");

        assertThat(entry.state()).isEqualTo(UpdateState.IN_DOUBT);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).contains("no response within 300 ms").contains("not retried");
        assertThat(bluejay.requests()).isEqualTo(1);
    }

    @Test
    void aRunOfFailuresStopsTheRunAndTheRestIsFailedWithoutBeingSent() {
        BluejayClient client = client(1, Duration.ofSeconds(5));
        List<MappedUpdate.Accepted> updates = new java.util.ArrayList<>();
        for (int i = 0; i < SimulationUpdatePoster.STOP_AFTER_CONSECUTIVE_FAILURES + 5; i++) {
            String id = Integer.toString(500 + i);
            bluejay.script(id, new FakeUpdateSimulationResultEndpoint.Scripted(503, "{\"detail\":\"down\"}", false, 0));
            UpdateSimulationResultRequest request = new UpdateSimulationResultRequest(id, null, null, null, List.of("t"), null, null);
            updates.add(new MappedUpdate.Accepted(new SimulationLog(++seq, id + ".json", 0, id, "the file name", null, () -> null), request,
                    SimulationLogMapper.fingerprint(request)));
        }
        List<SimulationUpdateLedger.Claim> claims = ledger.claim(EXECUTION, "poster-test", updates, false);
        RuntimeException stop;
        try (SimulationUpdatePoster poster = new SimulationUpdatePoster(client, ledger, EXECUTION, 1)) {
            claims.forEach(poster::post);
            poster.awaitIdle();
            stop = poster.fatalError();
        }

        assertThat(stop).isNotNull();
        assertThat(stop.getMessage()).contains("update-simulation-result").contains("re-run the job to resume");
        assertThat(bluejay.requests()).isEqualTo(SimulationUpdatePoster.STOP_AFTER_CONSECUTIVE_FAILURES);
        assertThat(updates).allSatisfy(u -> assertThat(ledger.find(u.resultId()).orElseThrow().state()).isEqualTo(UpdateState.FAILED));
        assertThat(ledger.find("524").orElseThrow().lastError()).startsWith("not posted: the run stopped");
    }
}
