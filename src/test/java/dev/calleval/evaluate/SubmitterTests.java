package dev.calleval.evaluate;

import dev.calleval.TestDatabases;
import dev.calleval.bluejay.ApiKey;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayClientSettings;
import dev.calleval.bluejay.BluejayEndpoint;
import dev.calleval.bluejay.CallDirection;
import dev.calleval.bluejay.CallInterface;
import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.RequestListener;
import dev.calleval.execution.ExecutionLiveness;
import dev.calleval.ledger.Ledger;
import dev.calleval.ledger.LedgerEntry;
import dev.calleval.ledger.LedgerState;
import dev.calleval.mapping.MappedCall;
import dev.calleval.sandbox.SandboxConfig;
import dev.calleval.sandbox.SandboxEndpoint;
import dev.calleval.sandbox.SandboxServer;
import dev.calleval.source.SourceRef;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the {@link Submitter} records an error the client does not classify (a bug, not an answer of the API), over
 * loopback HTTP against the real sandbox with the real client and an H2 ledger. The error is provoked by a
 * {@link RequestListener} that throws: after the evaluate request was written and answered (the call exists at
 * Bluejay), or before any attempt (while the rate limiter hands out the permit). A request that may have arrived is
 * in doubt, never FAILED (which the next run would send again without looking), the same rule as simulation updates.
 */
class SubmitterTests {
    private static final long EXECUTION = 1;
    private static final String SOURCE_ID = "src-unexpected";

    private SandboxServer sandbox;
    private ExecutionLiveness liveness;
    private Ledger ledger;
    private TransactionTemplate transactions;

    @BeforeEach
    void start() throws IOException {
        sandbox = SandboxServer.start(SandboxConfig.defaults().withoutWebhook());
        DataSource dataSource = TestDatabases.Kind.H2.migratedDataSource("submitter");
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        JdbcTransactionManager transactionManager = new JdbcTransactionManager(dataSource);
        transactions = new TransactionTemplate(transactionManager);
        liveness = new ExecutionLiveness(jdbc, transactionManager, Duration.ofMillis(200), Duration.ofSeconds(30));
        ledger = new Ledger(jdbc, Clock.systemUTC(), transactionManager, liveness);
    }

    @AfterEach
    void stop() {
        liveness.destroy();
        sandbox.close();
    }

    /** Throws once, from the first evaluate attempt's {@code responded} (the request was written and answered). */
    private static final class ThrowsAfterTheFirstEvaluate implements RequestListener {
        final AtomicInteger thrown = new AtomicInteger();

        @Override
        public void responded(String operation, int status, long nanos) {
            if (operation.equals("POST /v1/evaluate") && thrown.getAndIncrement() == 0) {
                throw new IllegalStateException("a listener bug after status " + status);
            }
        }
    }

    /** Throws from every rate-limiter wait: before any attempt, so nothing is sent. */
    private static final class ThrowsBeforeSending implements RequestListener {
        @Override
        public void rateLimiterWaited(long nanos) {
            throw new IllegalStateException("a listener bug before sending");
        }
    }

    private BluejayClient client(RequestListener listener, double requestsPerSecond) {
        return new BluejayClient(new BluejayClientSettings(sandbox.baseUri(), ApiKey.of("test-key"), requestsPerSecond, Duration.ofSeconds(2),
                Duration.ofSeconds(5), new BluejayClientSettings.RetrySettings(3, Duration.ofMillis(10), Duration.ofMillis(20),
                        Duration.ofSeconds(1))), listener);
    }

    private static MappedCall.Accepted call() {
        EvaluateRequest request = new EvaluateRequest("1234", null, Instant.parse("2026-11-19T14:00:00Z"),
                List.of(new Participant(ParticipantRole.AGENT, null, null, null), new Participant(ParticipantRole.USER, null, null, null)),
                "https://example.com/" + SOURCE_ID + ".wav", null, CallDirection.INBOUND, CallInterface.PHONE, null, null, null, null, null,
                SOURCE_ID, null, Map.of("calleval_source_id", SOURCE_ID), null, null, null, null, null, null, null);
        return new MappedCall.Accepted(new SourceRef("m.csv", 2), SOURCE_ID, request, "fp-" + SOURCE_ID);
    }

    /** Claims the one call, submits it and waits for its outcome; returns its ledger row. */
    private LedgerEntry submit(BluejayClient client, @Nullable InDoubtResolver resolver, Outcomes outcomes) {
        List<Ledger.Claim> claims = transactions.execute(status -> ledger.claim(EXECUTION, "submitter-test", BluejayEndpoint.DEFAULT,
                List.of(call()))).claimed();
        assertThat(claims).hasSize(1);
        try (Submitter submitter = new Submitter(client, ledger, EXECUTION, 2, resolver, outcomes)) {
            claims.forEach(submitter::submit);
            submitter.awaitIdle();
            assertThat(submitter.fatalError()).as("an unexpected error does not stop the run").isNull();
        }
        return ledger.find(BluejayEndpoint.DEFAULT, call().request().agentKey(), SOURCE_ID).orElseThrow();
    }

    private long evaluateRequests() {
        return sandbox.stats().endpoint(SandboxEndpoint.EVALUATE).requests();
    }

    /** Counts the outcomes the Submitter reports. */
    private static final class Outcomes implements SubmissionObserver {
        final AtomicInteger submitted = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger leftInDoubt = new AtomicInteger();

        @Override
        public void submitted() {
            submitted.incrementAndGet();
        }

        @Override
        public void failed() {
            failed.incrementAndGet();
        }

        @Override
        public void leftInDoubt() {
            leftInDoubt.incrementAndGet();
        }
    }

    @Test
    void anUnexpectedErrorAfterTheRequestWasSentIsInDoubtNotFailed() {
        Outcomes outcomes = new Outcomes();
        ThrowsAfterTheFirstEvaluate listener = new ThrowsAfterTheFirstEvaluate();

        LedgerEntry entry = submit(client(listener, 0), null, outcomes);

        assertThat(listener.thrown.get()).as("the fault happened").isEqualTo(1);
        assertThat(evaluateRequests()).as("sent once, never again blindly").isEqualTo(1);
        assertThat(sandbox.stats().evaluateAccepted()).as("the call exists at Bluejay").isEqualTo(1);
        assertThat(entry.state()).as("not FAILED: the next run would send it again without looking").isEqualTo(LedgerState.PENDING);
        assertThat(entry.inDoubt()).isTrue();
        assertThat(entry.attempts()).isEqualTo(1);
        assertThat(entry.lastError()).isEqualTo("unexpected error after sending (the request may have been acted on): "
                + "IllegalStateException: a listener bug after status 200");
        assertThat(outcomes.leftInDoubt.get()).isEqualTo(1);
        assertThat(outcomes.failed.get()).isZero();
    }

    @Test
    void anUnexpectedErrorAfterTheRequestWasSentIsSettledByTheLookupAndNotSentTwice() {
        Outcomes outcomes = new Outcomes();
        BluejayClient client = client(new ThrowsAfterTheFirstEvaluate(), 0);

        LedgerEntry entry = submit(client, new InDoubtResolver(client, Duration.ZERO, Duration.ofSeconds(5), 10), outcomes);

        assertThat(evaluateRequests()).as("found by the lookup: not sent again").isEqualTo(1);
        assertThat(sandbox.stats().endpoint(SandboxEndpoint.RETRIEVE_CALL_LOGS).requests()).as("looked it up").isPositive();
        assertThat(entry.state()).isEqualTo(LedgerState.SUBMITTED);
        assertThat(entry.callId()).as("the call the request created").matches("[0-9a-f-]{36}");
        assertThat(entry.inDoubt()).isFalse();
        assertThat(outcomes.submitted.get()).isEqualTo(1);
        assertThat(outcomes.failed.get()).isZero();
    }

    @Test
    void anUnexpectedErrorBeforeAnyAttemptIsFailedAndNothingIsSent() {
        Outcomes outcomes = new Outcomes();

        LedgerEntry entry = submit(client(new ThrowsBeforeSending(), 1000), null, outcomes);

        assertThat(evaluateRequests()).as("nothing sent").isZero();
        assertThat(entry.state()).isEqualTo(LedgerState.FAILED);
        assertThat(entry.inDoubt()).isFalse();
        assertThat(entry.attempts()).isZero();
        assertThat(entry.lastError()).isEqualTo("not sent: IllegalStateException: a listener bug before sending");
        assertThat(outcomes.failed.get()).isEqualTo(1);
    }
}
