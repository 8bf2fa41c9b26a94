package dev.calleval.bluejay;

/**
 * Answer of {@code POST /v1/evaluate} ({@code EvaluateCallResponse}, §1.6). {@code callId} is a UUID; it equals
 * {@code id} in the {@code observability_call_evaluated} webhook and keys {@code GET /v1/retrieve-call-log}.
 */
public record EvaluateCallResponse(String status, String callId, String message) {}
