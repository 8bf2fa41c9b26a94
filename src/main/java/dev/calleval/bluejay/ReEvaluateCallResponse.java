package dev.calleval.bluejay;

/** Answer of {@code POST /v1/re-evaluate/{call_id}} ({@code ReEvaluateCallResponse}, §6): all three required. */
public record ReEvaluateCallResponse(String status, String callId, String message) {}
