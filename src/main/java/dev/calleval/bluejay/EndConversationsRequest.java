package dev.calleval.bluejay;

import java.util.List;

/** Body of {@code POST /v1/end-conversations} ({@code EndConversationsRequest}, §4.3): at least one test result id. */
public record EndConversationsRequest(List<Long> testResultIds) {
    public EndConversationsRequest {
        if (testResultIds == null || testResultIds.isEmpty()) {
            throw new IllegalArgumentException("test_result_ids needs at least one id");
        }
        testResultIds = List.copyOf(testResultIds);
    }
}
