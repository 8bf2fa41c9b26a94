package dev.calleval.ledger;

import dev.calleval.bluejay.ApiFieldError;
import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.CircuitOpenException;
import dev.calleval.bluejay.PermanentApiException;
import dev.calleval.bluejay.RequestInDoubtException;
import dev.calleval.bluejay.TransientApiException;
import dev.calleval.bluejay.ValidationFailedException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The one classification of a failed send, shared by calls and simulation updates. */
class SendOutcomeTests {
    private static final String OP = "POST /v1/evaluate";

    @Test
    void anAmbiguousFailureIsInDoubtWithItsStatusAndWhetherItTimedOut() {
        SendOutcome timeout = SendOutcome.of(new RequestInDoubtException(OP, 0, "no response within 5000 ms",
                new HttpTimeoutException("timed out")), 1);
        assertThat(timeout).isEqualTo(new SendOutcome.InDoubt(OP + " failed: no response within 5000 ms (the request may have been acted on: "
                + "not retried)", 0, true, false));

        SendOutcome unreadable = SendOutcome.of(new RequestInDoubtException(OP, 200, "response is not the documented JSON", null), 1);
        assertThat(unreadable).isInstanceOfSatisfying(SendOutcome.InDoubt.class, d -> {
            assertThat(d.answered2xx()).isTrue();
            assertThat(d.timedOut()).isFalse();
        });
    }

    @Test
    void a422IsRejectedWithTheApisFieldsAndAnother4xxWithBody() {
        SendOutcome invalid = SendOutcome.of(new ValidationFailedException(OP, List.of(new ApiFieldError(List.of("body", "agent_id"), "required", "missing"),
                new ApiFieldError(List.of(), "bad", ""))), 1);
        assertThat(invalid).isInstanceOfSatisfying(SendOutcome.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.fields()).isEqualTo("agent_id;body");
            assertThat(r.detail()).isEqualTo("agent_id: required; body: bad");
        });

        SendOutcome notFound = SendOutcome.of(new PermanentApiException(OP, 404, "not found"), 1);
        assertThat(notFound).isEqualTo(new SendOutcome.Rejected(404, "body", OP + " answered HTTP 404: not found"));
    }

    @Test
    void failuresThatProveNothingArrivedAreFailedWithTheirReason() {
        assertThat(SendOutcome.of(new AuthenticationFailedException(OP, 401), 1))
                .isInstanceOfSatisfying(SendOutcome.Failed.class, f -> assertThat(f.reason()).isEqualTo(SendOutcome.Reason.KEY_REFUSED));
        assertThat(SendOutcome.of(new CircuitOpenException(OP, 20), 0))
                .isInstanceOfSatisfying(SendOutcome.Failed.class, f -> assertThat(f.reason()).isEqualTo(SendOutcome.Reason.CIRCUIT_OPEN));
        assertThat(SendOutcome.of(new TransientApiException(OP, 503, "busy", null, false, null), 5))
                .isEqualTo(new SendOutcome.Failed(OP + " answered HTTP 503: busy", SendOutcome.Reason.RETRIES_EXHAUSTED));
    }

    @Test
    void aTransientFailureThatMayHaveArrivedIsInDoubt() {
        assertThat(SendOutcome.of(new TransientApiException(OP, 504, "gateway timeout", null, true, null), 1))
                .isInstanceOf(SendOutcome.InDoubt.class);
    }

    @Test
    void anUnexpectedErrorIsInDoubtOnceAnAttemptWasMadeAndFailedBefore() {
        IllegalStateException bug = new IllegalStateException("boom");
        assertThat(SendOutcome.of(bug, 1)).isEqualTo(new SendOutcome.InDoubt(
                "unexpected error after sending (the request may have been acted on): IllegalStateException: boom", 0, false, true));
        assertThat(SendOutcome.of(bug, 0)).isEqualTo(new SendOutcome.Failed("IllegalStateException: boom",
                SendOutcome.Reason.UNEXPECTED_BEFORE_SENDING));
    }
}
