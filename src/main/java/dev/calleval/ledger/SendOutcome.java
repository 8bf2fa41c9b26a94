package dev.calleval.ledger;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.CircuitOpenException;
import dev.calleval.bluejay.PermanentApiException;
import dev.calleval.bluejay.RequestInDoubtException;
import dev.calleval.bluejay.TransientApiException;
import dev.calleval.bluejay.ValidationFailedException;

/**
 * What the failure of one claimed request that is not idempotent ({@code POST /v1/evaluate},
 * {@code POST /v1/update-simulation-result}) means for its row: the one classification both ledgers' senders use, so
 * that calls and simulation updates never disagree on whether a request may have arrived. {@link #of} decides:
 * <ul>
 *   <li>{@link InDoubt}: the request may have been acted on ({@link RequestInDoubtException}: a timeout or reset after
 *       sending, 500/502/504, an unreadable 2xx; or any unexpected error once an attempt was made). Never sent again
 *       blindly: a lookup or a person settles it;</li>
 *   <li>{@link Rejected}: 422 (with the API's fields) or another 4xx: the same request will be refused again;</li>
 *   <li>{@link Failed}: not acted on ({@link Reason} says why: the API key refused, the circuit breaker open, retries
 *       exhausted on failures that prove nothing arrived, or an unexpected error before any attempt): the next run
 *       sends it again.</li>
 * </ul>
 * Which ledger method records each outcome, and its wording for the operator, stay with the sender.
 */
public sealed interface SendOutcome {

    /**
     * Classifies the failure of one request.
     *
     * @param failure what the client threw
     * @param attempts HTTP attempts made for this request before the failure (0: nothing was sent)
     * @return the outcome to record; never null
     */
    static SendOutcome of(RuntimeException failure, int attempts) {
        if (failure instanceof RequestInDoubtException e) {
            return new InDoubt(e.getMessage(), e.status(), e.timedOut(), false);
        }
        if (failure instanceof ValidationFailedException e) {
            String fields = e.errors().stream().map(er -> er.field().isEmpty() ? "body" : er.field()).distinct()
                    .reduce((a, b) -> a + ";" + b).orElse("body");
            return new Rejected(422, fields, e.getMessage());
        }
        if (failure instanceof PermanentApiException e) {
            return new Rejected(e.status(), "body", e.getMessage());
        }
        if (failure instanceof AuthenticationFailedException e) {
            return new Failed(e.getMessage(), Reason.KEY_REFUSED);
        }
        if (failure instanceof CircuitOpenException e) {
            return new Failed(e.getMessage(), Reason.CIRCUIT_OPEN);
        }
        if (failure instanceof TransientApiException e) {
            // the client turns an ambiguous failure of a request that is not idempotent into RequestInDoubtException;
            // should one still arrive here, it is in doubt all the same
            return e.requestMayHaveArrived()
                    ? new InDoubt(e.getMessage(), e.status(), false, false)
                    : new Failed(e.getMessage(), Reason.RETRIES_EXHAUSTED);
        }
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (attempts > 0) {
            // a request was written: it may have arrived, so it is never sent again without a look
            return new InDoubt("unexpected error after sending (the request may have been acted on): " + error, 0, false, true);
        }
        return new Failed(error, Reason.UNEXPECTED_BEFORE_SENDING);
    }

    /**
     * The request may have been acted on.
     *
     * @param error the last error to record (names the operation and status; never the API key)
     * @param status the HTTP status answered, 0 when none (timeout, reset, unexpected error); a 2xx means the request
     *     was acted on but its answer is unreadable
     * @param timedOut no answer came within the request timeout (the server may still be working on it)
     * @param unexpected an error the client does not classify (a bug): worth a stack trace in the log
     */
    record InDoubt(String error, int status, boolean timedOut, boolean unexpected) implements SendOutcome {
        /** True when the API answered 2xx: the request was acted on, only its answer is unreadable. */
        public boolean answered2xx() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Refused by the API: the same request will be refused again.
     *
     * @param status 422, or the other 4xx status
     * @param fields the refused fields, {@code ;}-separated ({@code body} when the API named none)
     * @param error the whole error: operation, status and the API's words
     */
    record Rejected(int status, String fields, String error) implements SendOutcome {
        /** The API's words: {@link #error()} without its leading {@code "<operation> answered HTTP <status>: "}. */
        public String detail() {
            return error.substring(error.indexOf(": ") + 2);
        }
    }

    /**
     * Not acted on: the next run sends it again.
     *
     * @param error the last error to record; for {@link Reason#UNEXPECTED_BEFORE_SENDING} the exception's simple class
     *     name and message
     */
    record Failed(String error, Reason reason) implements SendOutcome {}

    /** Why a request {@link Failed}. */
    enum Reason {
        /** 401/403: every further request would fail the same way; stops the run. */
        KEY_REFUSED,
        /** The client's circuit breaker is open: the request was not attempted. */
        CIRCUIT_OPEN,
        /** Retries exhausted on failures that prove the request did not arrive (refused connection, 408, 429, 503). */
        RETRIES_EXHAUSTED,
        /** An error the client does not classify, before any attempt was made. */
        UNEXPECTED_BEFORE_SENDING
    }
}
