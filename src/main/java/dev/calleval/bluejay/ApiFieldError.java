package dev.calleval.bluejay;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One item of FastAPI's 422 {@code HTTPValidationError.detail} list (§1.7): {@code loc} is the path to the
 * offending value (e.g. {@code ["body","CallRequestUsingAgentId","participants"]}), {@code msg} the reason,
 * {@code type} Pydantic's error type (e.g. {@code too_short}).
 */
public record ApiFieldError(List<Object> loc, String msg, String type) {

    public ApiFieldError {
        loc = loc == null ? List.of() : List.copyOf(loc);
        msg = msg == null ? "" : msg;
        type = type == null ? "" : type;
    }

    /**
     * The field path without the {@code body} prefix and the union-variant name, joined with dots, e.g.
     * {@code participants} or {@code transcript.0.speaker}.
     */
    public String field() {
        return loc.stream()
                .map(String::valueOf)
                .filter(part -> !part.equals("body") && !part.startsWith("CallRequestUsing"))
                .collect(Collectors.joining("."));
    }
}
