package dev.calleval.bluejay;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /v1/retrieve-call-logs/{agent_id}} ({@code RetrieveCallLogsResponse}, §2.4). Pages are
 * 1-based; {@code callLogs} is empty (never null) past the last page.
 */
public record RetrieveCallLogsResponse(@Nullable List<CallLog> callLogs, int totalCount, int page, int pageSize, int totalPages) {
    public RetrieveCallLogsResponse {
        callLogs = callLogs == null ? List.of() : List.copyOf(callLogs);
    }
}
