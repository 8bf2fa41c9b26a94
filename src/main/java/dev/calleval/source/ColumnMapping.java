package dev.calleval.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the logical column names calleval understands (DESIGN.md "Sources": {@code call_id}, {@code agent_id},
 * {@code start_time_utc}, ...) to the header names of a particular manifest. Unmapped logical names default to
 * themselves. Header names are matched exactly after trimming.
 */
public final class ColumnMapping {
    /** Logical columns read by the mapping; any other header is ignored except {@code metadata.<key>}. */
    public static final List<String> LOGICAL_COLUMNS = List.of(
            "call_id", "agent_id", "external_agent_id", "start_time_utc", "recording", "transcript",
            "agent_name", "agent_phone", "customer_name", "customer_phone", "agent_spoke_first", "call_direction",
            "interface", "tags", "tool_calls", "events", "sidecar", "custom_metrics", "custom_metric_tags", "label",
            "conversation_ended_by", "multichannel", "trace_id", "transcript_format");

    private final Map<String, String> headerByLogical;

    public ColumnMapping(Map<String, String> overrides) {
        Map<String, String> map = new HashMap<>();
        overrides.forEach((logical, header) -> {
            if (!LOGICAL_COLUMNS.contains(logical)) {
                throw new IllegalArgumentException("unknown column '" + logical + "' in columns: mapping; known: " + LOGICAL_COLUMNS);
            }
            map.put(logical, header.strip());
        });
        this.headerByLogical = Map.copyOf(map);
    }

    public static ColumnMapping identity() {
        return new ColumnMapping(Map.of());
    }

    /** The manifest header that holds the logical column. */
    public String header(String logical) {
        return headerByLogical.getOrDefault(logical, logical);
    }

    /** The logical name for a header (the reverse of {@link #header}); the header itself when unmapped. */
    public String logical(String header) {
        for (Map.Entry<String, String> e : headerByLogical.entrySet()) {
            if (e.getValue().equals(header)) {
                return e.getKey();
            }
        }
        return header;
    }
}
