package dev.calleval.simulation;

import dev.calleval.bluejay.AuthenticationFailedException;
import dev.calleval.bluejay.BluejayApiException;
import dev.calleval.bluejay.BluejayClient;
import dev.calleval.bluejay.BluejayTimes;
import dev.calleval.bluejay.EndConversationsRequest;
import dev.calleval.bluejay.EndConversationsResponse;
import dev.calleval.bluejay.SimulationResult;
import dev.calleval.bluejay.TestResultStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Ends hanging simulated conversations ({@code POST /v1/end-conversations}, §4.3). Only results that Bluejay reports
 * as {@code RUNNING} right now are sent: each given id is looked up first ({@code retrieve-simulation-result}, §4.5),
 * or a run's results are listed ({@code retrieve-simulation-results}, §4.4). Ids go in requests of at most 100.
 */
@Service
public class ConversationEnder {
    static final int BATCH = 100;

    private final Clock clock;

    public ConversationEnder(Clock clock) {
        this.clock = clock;
    }

    /**
     * What happened.
     *
     * @param sent the RUNNING ids sent
     * @param skipped ids not sent, with why (their status, "unknown", or "started less than ... ago")
     * @param endedCount {@code ended_count} summed over the requests
     * @param failedIds {@code failed_ids}: sent but not ended, by Bluejay's account
     * @param errors requests that failed (the ids in them are not ended)
     */
    public record Outcome(List<Long> sent, Map<Long, String> skipped, int endedCount, List<Long> failedIds, List<String> errors) {}

    /**
     * Ends the given test results that are RUNNING. An unknown id (404) is skipped; any other failed lookup is an
     * error (the id is not sent), and a refused key stops at once.
     *
     * @throws AuthenticationFailedException the API key was refused
     */
    public Outcome endResults(BluejayClient client, List<Long> ids) {
        List<Long> running = new ArrayList<>();
        Map<Long, String> skipped = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (Long id : ids) {
            try {
                SimulationResult result = client.retrieveSimulationResult(Long.toString(id));
                if (TestResultStatus.of(result.status()) == TestResultStatus.RUNNING) {
                    running.add(id);
                } else {
                    skipped.put(id, "status " + result.status());
                }
            } catch (AuthenticationFailedException e) {
                throw e;
            } catch (BluejayApiException e) {
                if (e.status() == 404) {
                    skipped.put(id, "unknown test result");
                } else {
                    errors.add("could not look up " + id + " (not sent): " + e.getMessage());
                }
            }
        }
        Outcome sent = send(client, running, skipped);
        errors.addAll(sent.errors());
        return new Outcome(sent.sent(), sent.skipped(), sent.endedCount(), sent.failedIds(), errors);
    }

    /**
     * Ends the results of a run that are RUNNING and started at least {@code olderThan} ago. A result without a
     * start time is sent only when {@code olderThan} is zero.
     */
    public Outcome endRunningInRun(BluejayClient client, String runId, Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        List<Long> running = new ArrayList<>();
        Map<Long, String> skipped = new LinkedHashMap<>();
        for (SimulationResult result : client.retrieveSimulationResults(runId).simulationResults()) {
            if (TestResultStatus.of(result.status()) != TestResultStatus.RUNNING) {
                skipped.put(result.id(), "status " + result.status());
                continue;
            }
            Instant started = BluejayTimes.parse(result.startTime());
            if (olderThan.isZero() || (started != null && !started.isAfter(cutoff))) {
                running.add(result.id());
            } else {
                skipped.put(result.id(), started == null ? "start time unknown" : "started less than " + olderThan + " ago");
            }
        }
        return send(client, running, skipped);
    }

    private Outcome send(BluejayClient client, List<Long> running, Map<Long, String> skipped) {
        int ended = 0;
        List<Long> failed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int from = 0; from < running.size(); from += BATCH) {
            List<Long> batch = running.subList(from, Math.min(running.size(), from + BATCH));
            try {
                EndConversationsResponse response = client.endConversations(new EndConversationsRequest(batch));
                ended += response.endedCount();
                failed.addAll(response.failedIds());
            } catch (AuthenticationFailedException e) {
                throw e;
            } catch (BluejayApiException e) {
                failed.addAll(batch);
                errors.add(e.getMessage());
            }
        }
        return new Outcome(List.copyOf(running), skipped, ended, failed, errors);
    }

}
