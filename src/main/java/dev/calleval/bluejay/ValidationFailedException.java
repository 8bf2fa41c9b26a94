package dev.calleval.bluejay;

import java.util.List;
import java.util.stream.Collectors;

/**
 * HTTP 422: the API refused the body (§1.7). Permanent: the same input will be refused again. {@link #errors()}
 * is the parsed {@code detail} list; errors reported once per body variant (agent_id / external_agent_id) are
 * merged so each field appears once.
 */
public final class ValidationFailedException extends BluejayApiException {
    private final List<ApiFieldError> errors;

    public ValidationFailedException(String operation, List<ApiFieldError> errors) {
        super(operation, 422, summary(errors), null);
        this.errors = List.copyOf(errors);
    }

    /** The field errors, in the order the API gave them. */
    public List<ApiFieldError> errors() {
        return errors;
    }

    private static String summary(List<ApiFieldError> errors) {
        if (errors.isEmpty()) {
            return "request refused as invalid (no details given)";
        }
        return errors.stream()
                .map(e -> (e.field().isEmpty() ? "body" : e.field()) + ": " + e.msg())
                .distinct()
                .collect(Collectors.joining("; "));
    }
}
