package dev.calleval.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulation runs and results of a sandbox (API reference §4) and their lifecycle, with the webhooks they
 * produce (§3.5–§3.7). Ids are integers: runs count up from 227413, results from 716977; the JSON carries them as
 * strings where the spec says so (queue answer, {@code SimulationRunResultResponse.id}) and as integers elsewhere.
 *
 * <h2>Lifecycle of a result</h2>
 * <ol>
 *   <li>{@code queue}: created {@code QUEUED} and set {@code RUNNING} (with {@code start_time}) before the queue
 *       request is answered, so {@code QUEUED} is never observed;</li>
 *   <li>it stays {@code RUNNING} until {@code end-conversations} names it, an overlapping run terminates it, or
 *       {@link SandboxConfig#conversationDuration()} has passed (never by itself when that is null);</li>
 *   <li>ending sets {@code CONVERSATION_ENDED}, {@code end_time} and {@code duration} (ms) and sends
 *       {@code simulation_ended};</li>
 *   <li>half of {@link SandboxConfig#evaluationDelay()} later it is {@code EVALUATING}; after all of it
 *       {@code COMPLETED} with one evaluation, and {@code simulation_result_evaluated} is sent.</li>
 * </ol>
 * The evaluation judges nothing: {@code goal_success} and {@code custom_metrics} are the ones the catalog scripts
 * for the digital human ({@link DigitalHumanSpec}); every other metric is null. A run is {@code RUNNING} while one
 * of its results is not {@code COMPLETED}, then {@code COMPLETED}; {@code tests_passed} / {@code tests_failed}
 * count completed results whose {@code goal_success} is true / false, {@code tests_completed} the completed ones,
 * and {@code tests_incompleted} those that ended {@code INCOMPLETED} (the sandbox produces none, so 0).
 *
 * <h2>Updates</h2>
 * {@code update-simulation-result} is not idempotent, as the vendor observed of the real service: each applied post
 * appends its {@code tool_calls}, {@code events} and {@code tags} to what earlier posts added and merges its
 * {@code metadata} (later keys win); {@code recorded_transcript} and {@code trace_ids} are validated but not kept,
 * as no answer shows them. Posts are counted per result id, in any status. Results show their tool calls grouped by
 * name ({@code ToolCallComparisonGroup}: {@code expected} always empty, {@code actual} in posting order); the
 * {@code simulation_result_evaluated} webhook carries them flat, with the events, tags and metadata.
 *
 * <p>A run creates {@code runs_per_digital_human} results (default 1, at most 100: a sandbox limit) per digital
 * human, in catalog order or the order of {@code digital_human_ids}.
 *
 * <p>Thread-safe: every state change and snapshot holds one lock; webhooks are handed to the dispatcher, which
 * never calls back.
 */
final class Simulations {

    static final String SIMULATION_ENDED = "simulation_ended";
    static final String SIMULATION_RESULT_EVALUATED = "simulation_result_evaluated";
    static final String OUTBOUND_SIMULATION_STARTED = "outbound_simulation_started";

    static final String QUEUED = "QUEUED";
    static final String RUNNING = "RUNNING";
    static final String CONVERSATION_ENDED = "CONVERSATION_ENDED";
    static final String EVALUATING = "EVALUATING";
    static final String COMPLETED = "COMPLETED";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern NUMERIC_ID = Pattern.compile("[0-9]{1,18}");

    /** An answer: the HTTP status and its JSON body; 200 means the request took effect. */
    record Reply(int status, JsonNode body) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }

        static Reply notFound(String detail) {
            ObjectNode body = NODES.objectNode();
            body.put("detail", detail);
            return new Reply(404, body);
        }
    }

    private final SandboxConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final WebhookDispatcher webhooks;
    private final Object lock = new Object();
    private final Map<Long, SimulationRun> runs = new LinkedHashMap<>();
    private final Map<Long, SimulationRunResult> results = new LinkedHashMap<>();
    private final Map<String, Integer> updatePosts = new HashMap<>();
    private long nextRunId = 227_413;
    private long nextResultId = 716_977;

    Simulations(SandboxConfig config, Clock clock, ScheduledExecutorService scheduler, WebhookDispatcher webhooks) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.webhooks = webhooks;
    }

    // ------------------------------------------------------------------------------------------ queue

    /**
     * {@code POST /v1/queue-sms-simulation-run} (§4.2) with a validated body: 404 {@code Simulation not found} for a
     * simulation outside the catalog, 404 {@code Digital human not found} when {@code digital_human_ids} names one
     * the simulation lacks (an empty list means all of them); else the {@code SimulationRunResponse}.
     */
    Reply queue(ObjectNode request) {
        String simulationId = request.path("simulation_id").stringValue();
        SimulationSpec spec = config.simulations().get(simulationId);
        if (spec == null) {
            return Reply.notFound("Simulation not found");
        }
        List<DigitalHumanSpec> humans = new ArrayList<>();
        JsonNode wanted = request.path("digital_human_ids");
        if (wanted.isArray() && !wanted.isEmpty()) {
            for (JsonNode id : wanted) {
                DigitalHumanSpec human = spec.digitalHumans().stream()
                        .filter(h -> String.valueOf(h.id()).equals(id.stringValue().strip()))
                        .findFirst().orElse(null);
                if (human == null) {
                    return Reply.notFound("Digital human not found: " + id.stringValue());
                }
                if (!humans.contains(human)) {
                    humans.add(human);
                }
            }
        } else {
            humans.addAll(spec.digitalHumans());
        }
        JsonNode runsPer = request.path("runs_per_digital_human");
        int copies = !runsPer.isNumber() ? 1
                : runsPer.canConvertToLong() ? (int) Math.min(runsPer.longValue(), 100) : 100;
        boolean terminate = request.path("terminate_overlapping_simulations").asBoolean(false);
        Instant now = now();
        synchronized (lock) {
            ArrayNode terminated = NODES.arrayNode();
            if (terminate) {
                for (SimulationRunResult result : results.values()) {
                    if (result.run.simulationId.equals(simulationId) && result.status.equals(RUNNING)) {
                        end(result, now);
                        ObjectNode item = terminated.addObject();
                        item.put("test_result_id", result.id);
                        item.put("simulation_run_id", result.run.id);
                        item.put("digital_human_id", result.human.id());
                        item.put("phone_number", result.human.phoneNumber());
                    }
                }
            }
            SimulationRun run = new SimulationRun(nextRunId++, simulationId, spec, now);
            runs.put(run.id, run);
            for (DigitalHumanSpec human : humans) {
                for (int i = 0; i < copies; i++) {
                    SimulationRunResult result = new SimulationRunResult(nextResultId++, run, human, now);
                    results.put(result.id, result);
                    run.results.add(result);
                }
            }
            for (SimulationRunResult result : run.results) {
                start(result, now);
            }
            if (spec.outbound()) {
                webhooks.emit(OUTBOUND_SIMULATION_STARTED, String.valueOf(run.id), SimulationJson.outboundStarted(run, humans));
            }
            ObjectNode answer = NODES.objectNode();
            answer.put("simulation_run_id", String.valueOf(run.id));
            ArrayNode ids = answer.putArray("simulation_result_ids");
            run.results.forEach(result -> ids.add(String.valueOf(result.id)));
            answer.put("agent_id", String.valueOf(spec.agentId()));
            answer.put("status", "success");
            answer.set("terminated_conversations", terminated);
            return Reply.ok(answer);
        }
    }

    private void start(SimulationRunResult result, Instant now) {
        result.status = RUNNING;
        result.startTime = now;
        Duration duration = config.conversationDuration();
        if (duration != null) {
            schedule(() -> {
                synchronized (lock) {
                    if (result.status.equals(RUNNING)) {
                        end(result, now());
                    }
                }
            }, duration);
        }
    }

    /** Ends a RUNNING conversation; the caller holds the lock. */
    private void end(SimulationRunResult result, Instant now) {
        result.status = CONVERSATION_ENDED;
        result.endTime = now;
        webhooks.emit(SIMULATION_ENDED, String.valueOf(result.id), SimulationJson.ended(result));
        Duration delay = config.evaluationDelay();
        schedule(() -> {
            synchronized (lock) {
                if (result.status.equals(CONVERSATION_ENDED)) {
                    result.status = EVALUATING;
                }
            }
        }, delay.dividedBy(2));
        schedule(() -> complete(result), delay);
    }

    private void complete(SimulationRunResult result) {
        synchronized (lock) {
            if (result.status.equals(COMPLETED)) {
                return;
            }
            result.status = COMPLETED;
            result.evaluations.add(SimulationJson.evaluation(result.human, now()));
            webhooks.emit(SIMULATION_RESULT_EVALUATED, String.valueOf(result.id), SimulationJson.evaluated(result));
        }
    }

    // ------------------------------------------------------------------------------------------ end

    /**
     * {@code POST /v1/end-conversations} (§4.3) with a validated body. Ends, at once, every named result that
     * exists and is {@code RUNNING}; every other id (unknown, not running, or named twice) goes to
     * {@code failed_ids}. {@code success} is true when at least one conversation ended, as in the reference
     * example where one of two ids failed.
     */
    Reply end(ObjectNode request) {
        ArrayNode ids = NODES.arrayNode();
        ArrayNode failed = NODES.arrayNode();
        int ended = 0;
        Instant now = now();
        synchronized (lock) {
            for (JsonNode id : request.path("test_result_ids")) {
                ids.add(id);
                SimulationRunResult result = id.canConvertToLong() ? results.get(id.longValue()) : null;
                if (result != null && result.status.equals(RUNNING)) {
                    end(result, now);
                    ended++;
                } else {
                    failed.add(id);
                }
            }
        }
        ObjectNode answer = NODES.objectNode();
        answer.put("success", ended > 0);
        answer.put("ended_count", ended);
        answer.set("test_result_ids", ids);
        answer.set("failed_ids", failed);
        answer.put("message", ended + " of " + ids.size() + " conversation(s) marked for ending"
                + (failed.isEmpty() ? "" : "; " + failed.size() + " not found or not RUNNING"));
        return Reply.ok(answer);
    }

    // ------------------------------------------------------------------------------------------ update

    /**
     * {@code POST /v1/update-simulation-result} (§4.1) with a validated body: 404 {@code Simulation result not found}
     * for an unknown (or non-numeric) id, else applies the update (see the class comment) and counts the post.
     */
    Reply update(ObjectNode request) {
        SimulationRunResult result = find(request.path("simulation_result_id").stringValue());
        if (result == null) {
            return Reply.notFound("Simulation result not found");
        }
        synchronized (lock) {
            addAll(result.toolCalls, request.get("tool_calls"));
            addAll(result.events, request.get("events"));
            addAll(result.tags, request.get("tags"));
            JsonNode metadata = request.get("metadata");
            if (metadata != null && metadata.isObject()) {
                result.metadata.setAll((ObjectNode) metadata);
            }
            updatePosts.merge(String.valueOf(result.id), 1, Integer::sum);
        }
        ObjectNode answer = NODES.objectNode();
        answer.put("status", "success");
        answer.put("message", "Simulation result " + result.id + " updated");
        return Reply.ok(answer);
    }

    /** Applied update posts per simulation result id. */
    Map<String, Integer> updatePosts() {
        synchronized (lock) {
            return new HashMap<>(updatePosts);
        }
    }

    // ------------------------------------------------------------------------------------------ retrieve

    /** {@code GET /v1/retrieve-simulation-results/{simulation_run_id}} (§4.4); 404 for an unknown run. */
    Reply retrieveRun(String runId) {
        synchronized (lock) {
            SimulationRun run = NUMERIC_ID.matcher(runId).matches() ? runs.get(Long.parseLong(runId)) : null;
            if (run == null) {
                return Reply.notFound("Simulation run not found");
            }
            ObjectNode answer = NODES.objectNode();
            answer.set("simulation_run", SimulationJson.runJson(run));
            ArrayNode list = answer.putArray("simulation_results");
            run.results.forEach(result -> list.add(SimulationJson.resultJson(result)));
            answer.put("status", "200");
            return Reply.ok(answer);
        }
    }

    /** {@code GET /v1/retrieve-simulation-result/{test_result_id}} (§4.5); 404 for an unknown result. */
    Reply retrieveResult(String resultId) {
        SimulationRunResult result = find(resultId);
        if (result == null) {
            return Reply.notFound("Simulation result not found");
        }
        synchronized (lock) {
            ObjectNode answer = NODES.objectNode();
            answer.set("simulation_result", SimulationJson.resultJson(result));
            answer.put("status", "200");
            return Reply.ok(answer);
        }
    }

    private @Nullable SimulationRunResult find(String id) {
        String trimmed = id.strip();
        if (!NUMERIC_ID.matcher(trimmed).matches()) {
            return null;
        }
        synchronized (lock) {
            return results.get(Long.parseLong(trimmed));
        }
    }

    private static void addAll(List<JsonNode> target, @Nullable JsonNode items) {
        if (items != null && items.isArray()) {
            items.forEach(item -> target.add(item.deepCopy()));
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: pending transitions are dropped
        }
    }


}
