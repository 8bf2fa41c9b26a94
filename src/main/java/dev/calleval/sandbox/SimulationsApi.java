package dev.calleval.sandbox;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulation endpoints (§4): validates the bodies of {@code queue-sms-simulation-run}, {@code end-conversations}
 * and {@code update-simulation-result} ({@link SimulationRequestValidator}) and hands them, and the two retrieve
 * requests, to {@link Simulations}. Thread-safe.
 */
final class SimulationsApi {

    private final Simulations simulations;
    private final JsonExchange bodies;

    SimulationsApi(Simulations simulations, JsonExchange bodies) {
        this.simulations = simulations;
        this.bodies = bodies;
    }

    Answer update(byte[] body, @Nullable String contentType) {
        return request(body, contentType, SimulationRequestValidator.UPDATE_SIMULATION_RESULT, simulations::update);
    }

    Answer queue(byte[] body, @Nullable String contentType) {
        return request(body, contentType, SimulationRequestValidator.QUEUE_SMS_SIMULATION_RUN, simulations::queue);
    }

    Answer end(byte[] body, @Nullable String contentType) {
        return request(body, contentType, SimulationRequestValidator.END_CONVERSATIONS, simulations::end);
    }

    Answer retrieveRun(String runId) {
        return reply(simulations.retrieveRun(runId));
    }

    Answer retrieveResult(String resultId) {
        return reply(simulations.retrieveResult(resultId));
    }

    private Answer request(byte[] body, @Nullable String contentType, PydanticTypes.ModelType model,
            Function<ObjectNode, Simulations.Reply> action) {
        JsonExchange.Body parsed = bodies.parse(body, contentType);
        if (parsed.rejection() != null) {
            return parsed.rejection();
        }
        CallRequestValidator.Outcome outcome = SimulationRequestValidator.validate(model, parsed.json());
        ObjectNode request = outcome.request();
        if (request == null) {
            return Answer.unprocessable(outcome.errors());
        }
        return reply(action.apply(request));
    }

    private static Answer reply(Simulations.Reply reply) {
        return reply.status() == 200 ? Answer.done(reply.body()) : Answer.of(reply.status(), reply.body());
    }
}
