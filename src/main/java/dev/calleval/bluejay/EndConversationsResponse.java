package dev.calleval.bluejay;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Answer of {@code POST /v1/end-conversations} ({@code EndConversationsResponse}, §4.3): how many conversations were
 * marked for ending, and the ids that could not be (not RUNNING, unknown).
 */
public record EndConversationsResponse(boolean success, int endedCount, @Nullable List<Long> testResultIds,
        @Nullable List<Long> failedIds, @Nullable String message) {

    public EndConversationsResponse {
        testResultIds = testResultIds == null ? List.of() : List.copyOf(testResultIds);
        failedIds = failedIds == null ? List.of() : List.copyOf(failedIds);
    }
}
