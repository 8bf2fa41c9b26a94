package dev.calleval.sandbox;

import dev.calleval.sandbox.PydanticTypes.Errors;
import dev.calleval.sandbox.PydanticTypes.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static dev.calleval.sandbox.PydanticTypes.enumOf;
import static dev.calleval.sandbox.PydanticTypes.integer;

/**
 * {@code GET /v1/retrieve-call-logs/{agent_id}} (API reference §2.4): the query parameters, validated as FastAPI
 * does ({@code loc ["query", <name>]}, the raw string as {@code input}), and the page of calls they select.
 *
 * <ul>
 *   <li>{@code page_size}: integer 1..100, default 20 [{@code int_parsing}, {@code greater_than_equal},
 *       {@code less_than_equal}];</li>
 *   <li>{@code page}: integer {@code >= 1}, default 1;</li>
 *   <li>{@code last}: one of {@code 1day, 3days, 7days, 30days, 90days, all}, default {@code 1day} [{@code enum}]:
 *       only calls whose {@code created_at} is at most that long before now;</li>
 *   <li>{@code label}: when given, only calls submitted with that {@code label} ({@code production} when the
 *       request had none).</li>
 * </ul>
 * The selected calls of the agent ({@code agent_id} equal to the path value, as a string) are sorted newest
 * {@code created_at} first (ties: latest accepted first) and cut into pages: {@code total_count} counts every
 * selected call, {@code total_pages = ceil(total_count / page_size)} (0 without calls), and a page past the last
 * is empty.
 *
 * @param pageSize calls per page
 * @param page the 1-based page
 * @param window how far back {@code created_at} may lie, or {@code null} for {@code all}
 * @param label the label filter, or {@code null}
 */
record CallLogListing(int pageSize, long page, @Nullable Duration window, @Nullable String label) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Type PAGE_SIZE = integer(1L, null, 100L);
    private static final Type PAGE = integer(1L);
    private static final Type LAST = enumOf("1day", "3days", "7days", "30days", "90days", "all");

    /** The validated query, or the 422 {@code detail} items. */
    record Parsed(@Nullable CallLogListing listing, List<ObjectNode> errors) {}

    /**
     * Validates the query parameters (the last value wins when one is repeated, as in Starlette).
     *
     * @param query decoded parameter names and values
     */
    static Parsed parse(Map<String, String> query) {
        Errors errors = new Errors();
        String label = query.get("label");
        JsonNode pageSize = check(PAGE_SIZE, query, "page_size", errors);
        JsonNode page = check(PAGE, query, "page", errors);
        JsonNode last = check(LAST, query, "last", errors);
        if (!errors.items.isEmpty()) {
            return new Parsed(null, errors.items);
        }
        return new Parsed(new CallLogListing(
                pageSize == null ? 20 : pageSize.intValue(),
                page == null ? 1 : page.canConvertToLong() ? page.longValue() : Long.MAX_VALUE,
                last == null ? Duration.ofDays(1) : window(last.stringValue()),
                label), List.of());
    }

    /** The {@code RetrieveCallLogsResponse} of this query over the calls of {@code agentId}. */
    ObjectNode answer(String agentId, Collection<StoredCall> calls, Instant now) {
        Instant oldest = window == null ? null : now.minus(window);
        List<StoredCall> selected = new ArrayList<>();
        for (StoredCall call : calls) {
            if (call.agentId().equals(agentId) && (oldest == null || !call.createdAt().isBefore(oldest))
                    && (label == null || label.equals(call.label()))) {
                selected.add(call);
            }
        }
        selected.sort(Comparator.comparing(StoredCall::createdAt).thenComparingLong(StoredCall::sequence)
                .reversed());
        long from = page - 1 > Integer.MAX_VALUE ? Long.MAX_VALUE : (page - 1) * pageSize;
        ObjectNode answer = NODES.objectNode();
        ArrayNode logs = answer.putArray("call_logs");
        for (long i = from; i < Math.min(selected.size(), from + pageSize); i++) {
            logs.add(selected.get((int) i).callLog());
        }
        answer.put("total_count", selected.size());
        answer.put("page", page);
        answer.put("page_size", pageSize);
        answer.put("total_pages", (selected.size() + pageSize - 1) / pageSize);
        return answer;
    }

    private static @Nullable JsonNode check(Type type, Map<String, String> query, String name, Errors errors) {
        String raw = query.get(name);
        if (raw == null) {
            return null;
        }
        return type.validate(NODES.stringNode(raw), List.of("query", name), errors);
    }

    private static @Nullable Duration window(String last) {
        return switch (last) {
            case "1day" -> Duration.ofDays(1);
            case "3days" -> Duration.ofDays(3);
            case "7days" -> Duration.ofDays(7);
            case "30days" -> Duration.ofDays(30);
            case "90days" -> Duration.ofDays(90);
            default -> null;
        };
    }
}
