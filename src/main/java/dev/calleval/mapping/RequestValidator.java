package dev.calleval.mapping;

import dev.calleval.bluejay.EvaluateRequest;
import dev.calleval.bluejay.Event;
import dev.calleval.bluejay.Participant;
import dev.calleval.bluejay.ParticipantRole;
import dev.calleval.bluejay.ToolCall;
import dev.calleval.bluejay.TranscriptEntry;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an {@link EvaluateRequest} against the constraints of {@code POST /v1/evaluate} (§1.1–§1.5 and the
 * OpenAPI schemas {@code CallRequestUsingAgentId} / {@code CallRequestUsingExternalAgentId}) and returns every
 * problem found, so a row that the API would refuse with 422 is rejected without spending a call:
 * <ul>
 *   <li>exactly 2 participants (minItems/maxItems 2), one AGENT and one USER;</li>
 *   <li>{@code recording_url} / {@code transcript_url}: an absolute http(s) URL of 1–2083 characters;</li>
 *   <li>at most one of {@code recording_url} and {@code recording_base64}; something to evaluate (a recording,
 *       a transcript or a transcript URL);</li>
 *   <li>{@code custom_metrics}: UUIDs;</li>
 *   <li>transcript, tool call and event offsets: integer ms {@code >= 0}, ends not before starts.</li>
 * </ul>
 */
final class RequestValidator {
    static final int MAX_URL_LENGTH = 2083;
    private static final Pattern UUID_PATTERN = Pattern.compile("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");

    /** @return the problems, empty when the request is valid */
    List<Problem> validate(EvaluateRequest request) {
        List<Problem> problems = new ArrayList<>();
        participants(request.participants(), problems);
        url("recording", request.recordingUrl(), problems);
        url("transcript", request.transcriptUrl(), problems);
        if (request.recordingUrl() != null && request.recordingBase64() != null) {
            problems.add(new Problem("recording", "both recording_url and recording_base64 are set; send one"));
        }
        if (request.recordingUrl() == null && request.recordingBase64() == null
                && request.transcript() == null && request.transcriptUrl() == null) {
            problems.add(new Problem("recording", "nothing to evaluate: the call has no recording, no transcript and no transcript URL"));
        }
        if (request.customMetrics() != null) {
            for (String id : request.customMetrics()) {
                if (!UUID_PATTERN.matcher(id).matches()) {
                    problems.add(new Problem("custom_metrics", "'" + id + "' is not a UUID; custom metric ids look like 3f6c1a52-8d0e-4b7a-9c1d-2e5f7a9b0c13"));
                }
            }
        }
        if (request.transcript() != null) {
            int i = 0;
            for (TranscriptEntry e : request.transcript()) {
                offsets("transcript[" + i + "]", e.startOffsetMs(), e.endOffsetMs(), problems);
                if (e.utterance() == null) {
                    problems.add(new Problem("transcript[" + i + "].utterance", "utterance is required"));
                }
                i++;
            }
        }
        if (request.toolCalls() != null) {
            int i = 0;
            for (ToolCall t : request.toolCalls()) {
                if (t.startOffsetMs() < 0) {
                    problems.add(new Problem("tool_calls[" + i + "].start_offset_ms", "must be >= 0, got " + t.startOffsetMs()));
                }
                if (t.name() == null || t.name().isBlank()) {
                    problems.add(new Problem("tool_calls[" + i + "].name", "name is required"));
                }
                i++;
            }
        }
        if (request.events() != null) {
            int i = 0;
            for (Event e : request.events()) {
                offsets("events[" + i + "]", e.startOffsetMs(), e.endOffsetMs() == null ? e.startOffsetMs() : e.endOffsetMs(), problems);
                i++;
            }
        }
        return problems;
    }

    private static void participants(List<Participant> participants, List<Problem> problems) {
        if (participants.size() != 2) {
            problems.add(new Problem("participants", "exactly 2 participants are required (one AGENT, one USER), found "
                    + participants.size() + ": " + participants.stream().map(p -> p.role() + (p.name() == null ? "" : " " + p.name())).collect(Collectors.joining(", "))));
            return;
        }
        Set<ParticipantRole> roles = participants.stream().map(Participant::role).collect(Collectors.toSet());
        if (roles.size() != 2) {
            problems.add(new Problem("participants", "one participant must be AGENT and the other USER, found both " + participants.get(0).role()));
        }
    }

    private static void url(String field, String url, List<Problem> problems) {
        if (url == null) {
            return;
        }
        if (url.length() > MAX_URL_LENGTH) {
            problems.add(new Problem(field, "URL is " + url.length() + " characters; the API accepts at most " + MAX_URL_LENGTH));
            return;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
                problems.add(new Problem(field, "'" + abbreviate(url) + "' is not an absolute http(s) URL"));
            }
        } catch (URISyntaxException e) {
            problems.add(new Problem(field, "'" + abbreviate(url) + "' is not a valid URL: " + e.getReason()));
        }
    }

    private static void offsets(String field, long start, long end, List<Problem> problems) {
        if (start < 0) {
            problems.add(new Problem(field + ".start_offset_ms", "must be >= 0 ms from call start, got " + start));
        }
        if (end < start) {
            problems.add(new Problem(field + ".end_offset_ms", "end " + end + " ms is before start " + start + " ms"));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
