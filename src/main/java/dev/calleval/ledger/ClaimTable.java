package dev.calleval.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What differs between two tables that run the claim protocol ({@link Claims}): names and how in doubt is stored.
 * Every table has the columns {@code id} (generated), {@code endpoint}, its key columns, {@code state},
 * {@code fingerprint}, {@code source_ref}, {@code job_name}, {@code job_execution_id}, {@code attempts},
 * {@code last_error}, {@code created_at} and {@code updated_at}, with a unique key on {@code endpoint} and the key
 * columns.
 *
 * @param name the table, e.g. {@code call_ledger}
 * @param keyColumns the columns that identify a row at one endpoint, e.g. {@code agent_key, source_id}; the last one is
 *     indexed and used to look a chunk's rows up
 * @param states every value of the {@code state} column → its phase; exactly one state is {@link ClaimPhase#PENDING}
 * @param inDoubtColumn a boolean column set when a PENDING row is in doubt ({@code call_ledger.in_doubt}: such a row is
 *     {@link ClaimPhase#IN_DOUBT}); null when in doubt is a state of its own
 * @param clearedOnReclaim columns set to NULL when a row is claimed again (e.g. the last refusal's fields)
 * @param clearedOnOutcome columns set to NULL by every outcome that does not set them
 * @param resendFoundPending what a row found PENDING of an execution that is not alive means: true, it is claimed again
 *     at once and marked in doubt ({@link Claims.Verdict#RESENT_IN_DOUBT}; calls, which the evaluate job looks up
 *     before sending again); false, it is marked in doubt and left to an operator ({@link Claims.Verdict#FOUND_PENDING})
 * @param foundPendingError the {@code last_error} of a row found PENDING and marked in doubt (when
 *     {@code resendFoundPending} is false): a format whose {@code %s} is the execution that left it
 */
public record ClaimTable(String name, List<String> keyColumns, Map<String, ClaimPhase> states, @Nullable String inDoubtColumn,
        List<String> clearedOnReclaim, List<String> clearedOnOutcome, boolean resendFoundPending, String foundPendingError) {
    private static final Pattern NAME = Pattern.compile("[a-z_]+");
    private static final Pattern STATE = Pattern.compile("[A-Z_]+");

    public ClaimTable {
        keyColumns = List.copyOf(keyColumns);
        states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
        clearedOnReclaim = List.copyOf(clearedOnReclaim);
        clearedOnOutcome = List.copyOf(clearedOnOutcome);
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("a claim table needs at least one key column");
        }
        for (String column : concat(List.of(name), keyColumns, clearedOnReclaim, clearedOnOutcome,
                inDoubtColumn == null ? List.of() : List.of(inDoubtColumn))) {
            checkName(column);
        }
        states.keySet().forEach(state -> {
            if (!STATE.matcher(state).matches()) {
                throw new IllegalArgumentException("not a state name: '" + state + "'");
            }
        });
        if (states.values().stream().filter(p -> p == ClaimPhase.PENDING).count() != 1) {
            throw new IllegalArgumentException("table " + name + " needs exactly one PENDING state, got " + states);
        }
        if (inDoubtColumn == null && states.values().stream().noneMatch(p -> p == ClaimPhase.IN_DOUBT)) {
            throw new IllegalArgumentException("table " + name + " needs an in-doubt column or an IN_DOUBT state");
        }
    }

    /** The states of {@code type} with the phase each maps to. */
    public static <E extends Enum<E>> Map<String, ClaimPhase> phases(Class<E> type, Function<E, ClaimPhase> phase) {
        Map<String, ClaimPhase> phases = new LinkedHashMap<>();
        for (E state : type.getEnumConstants()) {
            phases.put(state.name(), phase.apply(state));
        }
        return phases;
    }

    /** The phase of a {@code state} value as read. @throws IllegalStateException for a value the table does not know */
    ClaimPhase phaseOf(String state) {
        ClaimPhase phase = states.get(state);
        if (phase == null) {
            throw new IllegalStateException("unknown state '" + state + "' in " + name);
        }
        return phase;
    }

    /** The first state in {@code phase}, e.g. PENDING. */
    @Nullable String stateIn(ClaimPhase phase) {
        return states.entrySet().stream().filter(e -> e.getValue() == phase).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** The states an outcome may be recorded over: PENDING and in doubt, quoted for SQL, e.g. {@code 'PENDING', 'IN_DOUBT'}. */
    String ownedStates() {
        return states.entrySet().stream().filter(e -> e.getValue() == ClaimPhase.PENDING || e.getValue() == ClaimPhase.IN_DOUBT)
                .map(e -> "'" + e.getKey() + "'").collect(java.util.stream.Collectors.joining(", "));
    }

    /** How a row is marked in doubt, as SQL: its in-doubt column set, or its state the in-doubt one. */
    String inDoubtSet() {
        return inDoubtColumn != null ? inDoubtColumn + " = TRUE" : "state = '" + stateIn(ClaimPhase.IN_DOUBT) + "'";
    }

    /** The key column values as named parameters, each named as its column. */
    org.springframework.jdbc.core.namedparam.MapSqlParameterSource keyParams(List<String> key) {
        org.springframework.jdbc.core.namedparam.MapSqlParameterSource p = new org.springframework.jdbc.core.namedparam.MapSqlParameterSource();
        for (int i = 0; i < keyColumns.size(); i++) {
            p.addValue(keyColumns.get(i), key.get(i));
        }
        return p;
    }

    static void checkName(String column) {
        if (!NAME.matcher(column).matches()) {
            throw new IllegalArgumentException("not a column or state name: '" + column + "'");
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
