package dev.calleval.enrich;

import com.sun.net.httpserver.HttpServer;
import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.SmsSimulationRunRequest;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.UpdateSimulationResultRequest;
import dev.calleval.sandbox.SandboxConfig.Faults;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How each answer of update-simulation-result lands in the ledger, over loopback HTTP with the real client against
 * the real sandbox ({@link SandboxServer}), whose faults are scripted for that one endpoint. Each test queues
 * simulation 30425 first, so result {@value #RESULT} exists. One answer the sandbox never gives (a 200 whose body is
 * not the documented JSON) comes from a stand-in; see {@link #startUnreadableSuccessEndpoint}.
 */
class SimulationUpdatePosterTests {
    private static final long EXECUTION = 7;
    /** The first simulation result id the sandbox hands out. */
    private static final String RESULT = "716977";

    private @Nullable SandboxServer bluejay;
    private @Nullable HttpServer standIn;
    private SimulationUpdateLedger ledger;
    private long seq;

    @BeforeEach
    void createLedger() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:poster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2", "classpath:db/migration/common").load().migrate();
        ledger = new SimulationUpdateLedger(new NamedParameterJdbcTemplate(dataSource), new JdbcTransactionManager(dataSource), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (bluejay != null) {
            bluejay.close();
        }
        if (standIn != null) {
            standIn.stop(0);
        }
    }

    /** Starts the sandbox with these faults on update-simulation-result only, and creates result {@value #RESULT}. */
    private SandboxServer sandbox(SandboxConfig config, Faults faults) {
        try {
            bluejay = SandboxServer.start(config.withFaults(faults.withEndpoints(SandboxEndpoint.UPDATE_SIMULATION_RESULT)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the sandbox", e);
        }
        List<String> ids = client(bluejay.baseUri(), 1, Duration.ofSeconds(5))
                .queueSmsSimulationRun(new SmsSimulationRunRequest("30425", null, null, null, null, null)).simulationResultIds();
        assertThat(ids).as("results of the first run").startsWith(RESULT);
        return bluejay;
    }

    private SandboxServer sandbox(Faults faults) {
        return sandbox(SandboxConfig.defaults(), faults);
    }

    private static BluejayClient client(URI baseUri, int maxAttempts, Duration requestTimeout) {
        return new BluejayClient(new BluejayClientSettings(baseUri, ApiKey.of("test-key"), 0, Duration.ofSeconds(2), requestTimeout,
                new BluejayClientSettings.RetrySettings(maxAttempts, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(1))));
    }

    private BluejayClient client(int maxAttempts, Duration requestTimeout) {
        return client(bluejay.baseUri(), maxAttempts, requestTimeout);
    }

    private static UpdateSimulationResultRequest tagged(String id) {
        return new UpdateSimulationResultRequest(id, null, null, null, List.of("t"), null, null);
    }

    private SimulationUpdateLedger.Entry post(BluejayClient client, String id) {
        return post(client, tagged(id));
    }

    private SimulationUpdateLedger.Entry post(BluejayClient client, UpdateSimulationResultRequest request) {
        String id = request.simulationResultId();
        MappedUpdate.Accepted update = new MappedUpdate.Accepted(new SimulationLog(++seq, "logs/" + id + ".json", 0, id, "the file name", null,
                () -> null), request, SimulationLogMapper.fingerprint(request));
        List<SimulationUpdateLedger.Claim> claims = ledger.claim(EXECUTION, "poster-test", BluejayEndpoint.DEFAULT, List.of(update), false);
        try (SimulationUpdatePoster poster = new SimulationUpdatePoster(client, ledger, EXECUTION, 2)) {
            claims.forEach(poster::post);
        }
        return ledger.find(BluejayEndpoint.DEFAULT, id).orElseThrow();
    }

    /** Requests that reached update-simulation-result, whatever their answer. */
    private long updateRequests() {
        return bluejay.stats().endpoint(SandboxEndpoint.UPDATE_SIMULATION_RESULT).requests();
    }

    /** How many updates of {@code id} the sandbox applied (each one adds its tool calls again at Bluejay). */
    private int posts(String id) {
        return bluejay.updateSimulationResultPosts().getOrDefault(id, 0);
    }

    @Test
    void aSuccessIsPostedWithItsAttempts() {
        sandbox(Faults.none());

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.POSTED);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.postedAt()).isNotNull();
        assertThat(posts(RESULT)).isEqualTo(1);
    }

    @Test
    void answersThatProveNothingWasAppliedAreRetriedUntilPosted() {
        sandbox(Faults.none().withScriptedStatuses(503, 429).withRetryAfterSeconds(0));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.POSTED);
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(updateRequests()).isEqualTo(3);
        assertThat(posts(RESULT)).as("applied once, by the third attempt").isEqualTo(1);
    }

    @Test
    void a422IsRejectedWithTheApisFields() {
        sandbox(Faults.none());
        UpdateSimulationResultRequest negativeOffset = new UpdateSimulationResultRequest(RESULT, null,
                List.of(new ToolCall("lookup_order", -120, null, null, null)), null, null, null, null);

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), negativeOffset);

        assertThat(entry.state()).isEqualTo(UpdateState.REJECTED);
        assertThat(entry.errorFields()).isEqualTo("tool_calls.0.start_offset_ms");
        assertThat(entry.lastError()).isEqualTo("Bluejay refused the update (422): tool_calls.0.start_offset_ms: Input should be greater than or equal to 0");
        assertThat(bluejay.stats().endpoint(SandboxEndpoint.UPDATE_SIMULATION_RESULT).rejected422()).isEqualTo(1);
        assertThat(posts(RESULT)).isZero();
    }

    @Test
    void a404IsRejectedAsAnUnknownSimulationResult() {
        sandbox(Faults.none());

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), "404404");

        assertThat(entry.state()).isEqualTo(UpdateState.REJECTED);
        assertThat(entry.errorFields()).isEqualTo("simulation_result_id");
        assertThat(entry.lastError()).startsWith("Bluejay does not know simulation result 404404 (404)");
        assertThat(updateRequests()).as("not retried").isEqualTo(1);
    }

    @Test
    void aTwoHundredWithAnUnreadableBodyIsPostedBecauseTheUpdateWasApplied() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        URI standInUri = startUnreadableSuccessEndpoint(requests);

        SimulationUpdateLedger.Entry entry = post(client(standInUri, 3, Duration.ofSeconds(5)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.POSTED);
        assertThat(entry.lastError()).startsWith("applied; ").contains("not the documented JSON");
        assertThat(requests).as("a 2xx is never sent again").hasValue(1);
    }

    @Test
    void retriesExhaustedOnAnswersThatProveNothingWasAppliedAreFailed() {
        sandbox(Faults.none().withScriptedStatuses(503, 503, 503).withRetryAfterSeconds(0));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.FAILED);
        assertThat(entry.attempts()).isEqualTo(3);
        assertThat(updateRequests()).isEqualTo(3);
        assertThat(posts(RESULT)).isZero();
    }

    @Test
    void aTimeoutAfterSendingIsInDoubtAndNotRetried() throws InterruptedException {
        sandbox(SandboxConfig.defaults().withLatency(Duration.ofMillis(1000)), Faults.none());

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofMillis(300)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.IN_DOUBT);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).contains("no response within 300 ms").contains("not retried");
        assertThat(updateRequests()).isEqualTo(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (posts(RESULT) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(posts(RESULT)).as("the late answer's update was applied all the same: truly in doubt").isEqualTo(1);
    }

    @Test
    void anUpdateAppliedThenAnswered504IsInDoubtAndNotRetried() {
        sandbox(Faults.none().withScriptedStatuses(Faults.ACCEPT_THEN_FAIL));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.IN_DOUBT);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).contains("504");
        assertThat(updateRequests()).isEqualTo(1);
        assertThat(posts(RESULT)).isEqualTo(1);
    }

    @Test
    void aConnectionResetAfterTheUpdateWasAppliedIsInDoubtAndNotRetried() {
        sandbox(Faults.none().withAcceptThenResetRate(1.0));

        SimulationUpdateLedger.Entry entry = post(client(3, Duration.ofSeconds(5)), RESULT);

        assertThat(entry.state()).isEqualTo(UpdateState.IN_DOUBT);
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(updateRequests()).isEqualTo(1);
        assertThat(posts(RESULT)).isEqualTo(1);
    }

    @Test
    void aRunOfFailuresStopsTheRunAndTheRestIsFailedWithoutBeingSent() {
        // after the scripted 503s the sandbox would answer 404 (these results do not exist): REJECTED, not FAILED
        List<Integer> unavailable = new ArrayList<>();
        for (int i = 0; i < SimulationUpdatePoster.STOP_AFTER_CONSECUTIVE_FAILURES; i++) {
            unavailable.add(503);
        }
        sandbox(Faults.none().withScriptedStatuses(unavailable).withRetryAfterSeconds(0));
        BluejayClient client = client(1, Duration.ofSeconds(5));
        List<MappedUpdate.Accepted> updates = new ArrayList<>();
        for (int i = 0; i < SimulationUpdatePoster.STOP_AFTER_CONSECUTIVE_FAILURES + 5; i++) {
            String id = Integer.toString(500 + i);
            UpdateSimulationResultRequest request = tagged(id);
            updates.add(new MappedUpdate.Accepted(new SimulationLog(++seq, id + ".json", 0, id, "the file name", null, () -> null), request,
                    SimulationLogMapper.fingerprint(request)));
        }
        List<SimulationUpdateLedger.Claim> claims = ledger.claim(EXECUTION, "poster-test", BluejayEndpoint.DEFAULT, updates, false);
        RuntimeException stop;
        try (SimulationUpdatePoster poster = new SimulationUpdatePoster(client, ledger, EXECUTION, 1)) {
            claims.forEach(poster::post);
            poster.awaitIdle();
            stop = poster.fatalError();
        }

        assertThat(stop).isNotNull();
        assertThat(stop.getMessage()).contains("update-simulation-result").contains("re-run the job to resume");
        assertThat(updateRequests()).isEqualTo(SimulationUpdatePoster.STOP_AFTER_CONSECUTIVE_FAILURES);
        assertThat(updates).allSatisfy(u -> assertThat(ledger.find(BluejayEndpoint.DEFAULT, u.resultId()).orElseThrow().state()).isEqualTo(UpdateState.FAILED));
        assertThat(ledger.find(BluejayEndpoint.DEFAULT, "524").orElseThrow().lastError()).startsWith("not posted: the run stopped");
    }

    /**
     * A stand-in for the one answer the sandbox never gives: 200 with a body that is not the documented JSON (as a
     * proxy's HTML page would be), counting the requests. The sandbox always answers documented JSON, and this case
     * is about the client, not about Bluejay's behaviour.
     */
    private URI startUnreadableSuccessEndpoint(AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/update-simulation-result", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            byte[] page = "<html>ok</html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        standIn = server;
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
