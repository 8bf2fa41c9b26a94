package dev.calleval.bluejay;

import org.jspecify.annotations.Nullable;

/** Answer of {@code GET /v1/retrieve-call-log/{call_id}} ({@code RetrieveCallLogResponse}, §2.1). */
public record RetrieveCallLogResponse(CallLog callLog, @Nullable String status) {}
